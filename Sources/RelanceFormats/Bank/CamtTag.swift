/// The camt element names the reader acts on. They are registered with the XML reader first,
/// in this order, so an element's interned name id *is* its tag (`rawValue`) and every other
/// name gets an id ≥ `allCases.count`: recognising an element costs one integer comparison.
///
/// The names are stable across camt.053/054 versions .001.02 to .001.13; what changed between
/// versions is where some sit (`Sts` text vs `Sts/Cd`, `Dbtr/Nm` vs `Dbtr/Pty/Nm`,
/// `TxDtls/Amt` from .04), which the parser handles by looking at the parent.
enum CamtTag: Int, CaseIterable {
    case document, bkToCstmrStmt, bkToCstmrDbtCdtNtfctn, bkToCstmrAcctRpt
    case stmt, ntfctn, rpt, acct, id, iban, othr, ccy
    case ntry, amt, cdtDbtInd, rvslInd, sts, cd, prtry, bookgDt, valDt, dt, dtTm
    case ntryRef, acctSvcrRef, bkTxCd, domn, fmly, subFmlyCd
    case ntryDtls, txDtls, refs, endToEndId, amtDtls, txAmt
    case rltdPties, dbtr, cdtr, ultmtDbtr, pty, nm, dbtrAcct, cdtrAcct
    case rmtInf, ustrd, strd, cdtrRefInf, ref, rtrInf, rsn
    case addtlTxInf, addtlNtryInf, chrgs, rcrd, ttlChrgsAndTaxAmt

    /// The element's local name in the document.
    var elementName: String {
        switch self {
        case .iban: return "IBAN"
        case .endToEndId: return "EndToEndId"
        default:
            let s = String(describing: self)
            return s.prefix(1).uppercased() + s.dropFirst()
        }
    }
}

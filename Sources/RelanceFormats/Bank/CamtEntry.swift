import RelanceCore

/// What the parser gathers for one `Ntry` (booked or not) before deciding what it becomes.
struct CamtEntry {
    var line = 0
    var index = 0
    var amount: Int64?
    var currency: Currency?
    var isCredit: Bool?
    var reversal = false
    /// `Sts` text (.02–.07) or `Sts/Cd` (.08+).
    var status: CamtStatus?
    var bookingDate: Day?
    var valueDate: Day?
    var entryRef: String?
    var servicerRef: String?
    /// A bank transaction code (`SubFmlyCd`) that means a return or reversal.
    var returnByCode = false
    var additionalInfo: String?
    var charges: Int64 = 0
    var transactions: [CamtTransaction] = []

    init() {}
}

/// One `NtryDtls/TxDtls`: the remittance details of one transaction inside an entry.
struct CamtTransaction {
    var amount: Int64?
    var amountCurrency: Currency?
    /// `AmtDtls/TxAmt/Amt`, used when `TxDtls/Amt` (versions .04+) is absent.
    var detailAmount: Int64?
    var detailCurrency: Currency?
    /// `TxDtls/CdtDbtInd` when stated.
    var isCredit: Bool?
    var endToEndId: String?
    var servicerRef: String?
    var debtorName: String?
    var ultimateDebtorName: String?
    var debtorIban: String?
    var creditorName: String?
    var creditorIban: String?
    var unstructured: [String] = []
    var structured: [String] = []
    var isReturn = false
    var returnReason: String?
    var additionalInfo: String?

    init() {}
}

/// Entry status: only booked entries are payments.
enum CamtStatus {
    case booked, pending, information, other
}

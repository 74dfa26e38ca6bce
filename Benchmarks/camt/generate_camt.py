#!/usr/bin/env python3
"""Generates a large, seeded camt.053.001.08 statement for the camt reading benchmark.

Usage: generate_camt.py [--entries 400000] [--seed 20260101] [--out camt053_bench.xml]

The mix is deterministic for a given seed: mostly booked single credits (SEPA transfers with
a debtor, IBAN, end-to-end id and remittance text), some with an ISO 11649 RF reference (a few
with a wrong check digit), batch entries with three TxDtls, debits, pending entries and
direct-debit returns. Written compact (no indentation), as banks' exports usually are.
The summary printed at the end (booked credits, total) is what both readers must find.
"""
import argparse
import random

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
NAMES = ["SARL Dupont", "Boulangerie Martin", "ACME SAS", "Garage du Centre", "Cabinet Leroy",
         "Transports Petit", "Hotel de la Gare", "Pharmacie Moreau", "SCI Les Tilleuls", "Menuiserie Roux"]


def rf_reference(body: str) -> str:
    """ISO 11649: RF + two check digits + body, check digits making the mod-97 remainder 1."""
    digits = "".join(str(int(c, 36)) for c in (body + "RF00"))
    check = 98 - int(digits) % 97
    return f"RF{check:02d}{body}"


def iban(rng: random.Random) -> str:
    return "FR76" + "".join(rng.choice("0123456789") for _ in range(23))


def amount(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=400_000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--out", default="camt053_bench.xml")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    credits = 0
    total = 0
    day0 = 1
    with open(a.out, "w", encoding="utf-8") as f:
        w = f.write
        w(f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NS}"><BkToCstmrStmt>'
          f'<GrpHdr><MsgId>BENCH-{a.seed}</MsgId><CreDtTm>2026-01-31T20:00:00</CreDtTm></GrpHdr>'
          f'<Stmt><Id>STMT-{a.seed}</Id><CreDtTm>2026-01-31T20:00:00</CreDtTm>'
          f'<Acct><Id><IBAN>FR7630003000111111111111111</IBAN></Id><Ccy>EUR</Ccy></Acct>\n')
        for i in range(a.entries):
            day = f"2026-01-{(day0 + i * 28 // a.entries):02d}"
            r = rng.random()
            if r < 0.03:  # pending: must be skipped
                w(f'<Ntry><NtryRef>P{i}</NtryRef><Amt Ccy="EUR">{amount(rng.randint(100, 99999))}</Amt>'
                  f'<CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts><BookgDt><Dt>{day}</Dt></BookgDt></Ntry>\n')
                continue
            if r < 0.13:  # plain debit: ignored
                w(f'<Ntry><Amt Ccy="EUR">{amount(rng.randint(100, 99999))}</Amt><CdtDbtInd>DBIT</CdtDbtInd>'
                  f'<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>D{i}</AcctSvcrRef>'
                  f'<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd></Ntry>\n')
                continue
            if r < 0.14:  # direct-debit return: a negative payment
                m = rng.randint(100, 99999)
                w(f'<Ntry><Amt Ccy="EUR">{amount(m)}</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd>'
                  f'<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>R{i}</AcctSvcrRef>'
                  f'<NtryDtls><TxDtls><Refs><EndToEndId>E2E{i - 1000}</EndToEndId></Refs>'
                  f'<RltdPties><Dbtr><Pty><Nm>{rng.choice(NAMES)}</Nm></Pty></Dbtr></RltdPties>'
                  f'<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>\n')
                continue
            if r < 0.19:  # batch of three credits
                parts = [rng.randint(100, 50000) for _ in range(3)]
                w(f'<Ntry><Amt Ccy="EUR">{amount(sum(parts))}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                  f'<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>'
                  f'<AcctSvcrRef>B{i}</AcctSvcrRef><NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch>')
                for k, p in enumerate(parts):
                    w(f'<TxDtls><Refs><EndToEndId>E2E{i}-{k}</EndToEndId></Refs><Amt Ccy="EUR">{amount(p)}</Amt>'
                      f'<CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>{rng.choice(NAMES)}</Nm></Pty></Dbtr></RltdPties>'
                      f'<RmtInf><Ustrd>FA{i:07d}{k}</Ustrd></RmtInf></TxDtls>')
                    credits += 1
                    total += p
                w('</NtryDtls></Ntry>\n')
                continue
            m = rng.randint(100, 999999)
            credits += 1
            total += m
            if rng.random() < 0.2:
                ref = rf_reference(f"{i:012d}")
                if rng.random() < 0.1:
                    ref = ref[:2] + ("00" if ref[2:4] != "00" else "01") + ref[4:]
                rmt = (f'<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>'
                       f'<Ref>{ref}</Ref></CdtrRefInf></Strd>')
            else:
                rmt = f'<Ustrd>FA-{i:06d}</Ustrd>'
            if rng.random() < 0.5:  # no details: the bank's own entry text only
                w(f'<Ntry><Amt Ccy="EUR">{amount(m)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
                  f'<BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>C{i}</AcctSvcrRef>'
                  f'<AddtlNtryInf>VIR {rng.choice(NAMES)} FA-{i:06d}</AddtlNtryInf></Ntry>\n')
                continue
            val = f'<ValDt><Dt>{day}</Dt></ValDt>' if rng.random() < 0.2 else ''
            acct = f'<DbtrAcct><Id><IBAN>{iban(rng)}</IBAN></Id></DbtrAcct>' if rng.random() < 0.25 else ''
            w(f'<Ntry><Amt Ccy="EUR">{amount(m)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
              f'<BookgDt><Dt>{day}</Dt></BookgDt>{val}<AcctSvcrRef>C{i}</AcctSvcrRef>'
              f'<NtryDtls><TxDtls><Refs><EndToEndId>E{i}</EndToEndId></Refs>'
              f'<RltdPties><Dbtr><Pty><Nm>{rng.choice(NAMES)}</Nm></Pty></Dbtr>{acct}</RltdPties>'
              f'<RmtInf>{rmt}</RmtInf></TxDtls></NtryDtls></Ntry>\n')
        w('</Stmt></BkToCstmrStmt></Document>\n')
    print(f"entries={a.entries} booked_credits={credits} total={amount(total)} EUR")


if __name__ == "__main__":
    main()

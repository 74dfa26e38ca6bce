#!/usr/bin/env python3
"""Peer for the camt benchmark: Python lxml.etree.iterparse doing the extraction CamtReader
does (booked credits and returned debits → payment records with ids, dates, amounts in minor
units, debtor, IBAN, references, RF check), on the same file.

Usage: lxml_parse.py FILE [--repeat 3] [--bare]
--bare times iterparse alone (Ntry ends, cleared, nothing extracted): the floor of any lxml peer.
Prints the payments found, their total, and the median MB/s from file bytes to records, by
wall clock and by process CPU time (the fair figure on a shared, loaded machine).
"""
import statistics
import sys
import time

from lxml import etree

RETURN_SUBFAMILIES = {"RRTN", "UPDD", "PRDD", "RPCR", "RCDD", "ARET"}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def minor(text, places=2):
    whole, _, frac = text.strip().partition(".")
    frac = (frac + "0" * places)[:places]
    return int(whole) * 10 ** places + (int(frac) if places else 0)


def valid_rf(ref):
    s = ref.replace(" ", "").upper()
    if len(s) < 5 or not s.startswith("RF") or not s[2:4].isdigit():
        return None
    digits = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return s if int(digits) % 97 == 1 else None


_paths = {}
NS = [""]


def q(path):
    """Element path in the document's namespace (lxml compiles and caches it, lookups run in C)."""
    key = (NS[0], path)
    p = _paths.get(key)
    if p is None:
        p = _paths[key] = "/".join("{%s}%s" % (NS[0], x) for x in path)
    return p


def child(el, *path):
    return el.find(q(path))


def text(el, *path):
    t = el.findtext(q(path))
    return t.strip() if t else None


def children(el, name):
    return el.findall(q((name,)))


def party_name(tx, role):
    return text(tx, "RltdPties", role, "Nm") or text(tx, "RltdPties", role, "Pty", "Nm")


def parse(path):
    payments = []
    account = "?"
    # Only Ntry and Acct ends are reported (lxml filters in C), the fastest honest use of iterparse.
    for event, el in etree.iterparse(path, events=("end",), tag=("{*}Ntry", "{*}Acct"),
                                     resolve_entities=False, no_network=True, huge_tree=False):
        NS[0] = el.tag[1:].split("}", 1)[0]
        name = local(el.tag)
        if name == "Acct" and el.getparent() is not None and local(el.getparent().tag) in ("Stmt", "Ntfctn"):
            account = text(el, "Id", "IBAN") or text(el, "Id", "Othr", "Id") or "?"
            continue
        if name != "Ntry":
            continue
        amt_el = child(el, "Amt")
        amount = minor(amt_el.text)
        ccy = amt_el.get("Ccy")
        credit = text(el, "CdtDbtInd") == "CRDT"
        sts = text(el, "Sts", "Cd") or text(el, "Sts")
        if sts != "BOOK":
            el.clear()
            continue
        day = (text(el, "BookgDt", "Dt") or text(el, "BookgDt", "DtTm"))[:10]
        val = text(el, "ValDt", "Dt")
        txs = [t for d in children(el, "NtryDtls") for t in children(d, "TxDtls")]
        rvsl = text(el, "RvslInd") in ("true", "1")
        codes = {e.text.strip() for e in el.iter(q(("SubFmlyCd",))) if e.text}
        is_return = rvsl or bool(codes & RETURN_SUBFAMILIES) or any(child(t, "RtrInf") is not None for t in txs)
        if credit == is_return:  # credit return skipped; plain debit ignored
            el.clear()
            continue
        sign = 1 if credit else -1
        key = text(el, "AcctSvcrRef") or (("ntry:" + text(el, "NtryRef")) if text(el, "NtryRef") else None)
        parts = []
        if len(txs) > 1:
            for k, t in enumerate(txs):
                a = child(t, "Amt") if child(t, "Amt") is not None else child(t, "AmtDtls", "TxAmt", "Amt")
                parts.append((t, minor(a.text), f"/{k + 1}"))
        else:
            parts.append((txs[0] if txs else None, amount, ""))
        for t, a, suffix in parts:
            ustrd, strd = [], None
            e2e = debtor = iban = None
            if t is not None:
                e2e = text(t, "Refs", "EndToEndId")
                debtor = party_name(t, "Dbtr")
                iban = text(t, "RltdPties", "DbtrAcct", "Id", "IBAN")
                rmt = child(t, "RmtInf")
                if rmt is not None:
                    ustrd = [u.text.strip() for u in children(rmt, "Ustrd") if u.text and u.text.strip()]
                    for s in children(rmt, "Strd"):
                        ref = text(s, "CdtrRefInf", "Ref")
                        if ref is None:
                            continue
                        if ref.replace(" ", "").upper().startswith("RF"):
                            v = valid_rf(ref)
                            if v and strd is None:
                                strd = v
                            else:
                                ustrd.append(ref)
                        elif strd is None:
                            strd = ref
            reference = " ".join(ustrd) or (text(t, "AddtlTxInf") if t is not None else None) or text(el, "AddtlNtryInf")
            k = key or f"e2e:{e2e or ''}:{a}:{day}"
            payments.append((f"{account}/{k}{suffix}", day, val, sign * a, ccy, reference, debtor, iban, strd, e2e))
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return payments


def bare(path):
    n = 0
    for _, el in etree.iterparse(path, events=("end",), tag="{*}Ntry", resolve_entities=False, no_network=True):
        n += 1
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return []


def main():
    path = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    size = len(open(path, "rb").read())
    rates, cpu_rates = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        payments = bare(path) if "--bare" in sys.argv else parse(path)
        rates.append(size / (time.perf_counter() - t0) / 1e6)
        cpu_rates.append(size / (time.process_time() - c0) / 1e6)
    credits = [p for p in payments if p[3] > 0]
    total = sum(p[3] for p in credits)
    label = "lxml iterparse (bare, no extraction)" if "--bare" in sys.argv else "lxml iterparse"
    print(f"{label}: {len(payments)} payments, {len(credits)} credits, credit total {total // 100}.{total % 100:02d}, "
          f"{size / 1e6:.1f} MB, median {statistics.median(rates):.1f} MB/s wall, "
          f"median {statistics.median(cpu_rates):.1f} MB/s CPU over {repeat} runs")


if __name__ == "__main__":
    main()

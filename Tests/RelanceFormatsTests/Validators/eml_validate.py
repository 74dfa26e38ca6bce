#!/usr/bin/env python3
"""Independent check of an .eml written by EMLWriter: parses it with Python's stdlib
`email` (policy.default) and prints what a mail reader would see, as JSON, for the Swift
test to compare with what it asked for. Usage: eml_validate.py FILE"""
import email
import email.policy
import hashlib
import json
import sys


def mailbox(address):
    return {"display_name": address.display_name, "addr_spec": address.addr_spec}


def header_defects(msg):
    out = []
    for name, value in msg.items():
        for defect in getattr(value, "defects", ()):
            out.append(f"{name}: {type(defect).__name__}: {defect}")
    return out


def main(path):
    raw = open(path, "rb").read()
    lines = raw.split(b"\r\n")
    report = {
        "crlf_only": b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b""),
        "max_line_length": max(len(line) for line in lines),
        "long_lines": [line.decode("ascii", "replace") for line in lines if len(line) > 78],
        "eight_bit": any(b > 127 for b in raw),
    }
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    report["subject"] = str(msg["Subject"])
    report["from"] = [mailbox(a) for a in msg["From"].addresses]
    report["to"] = [mailbox(a) for a in msg["To"].addresses]
    report["cc"] = [mailbox(a) for a in msg["Cc"].addresses] if msg["Cc"] else []
    report["reply_to"] = [mailbox(a) for a in msg["Reply-To"].addresses] if msg["Reply-To"] else []
    report["date"] = str(msg["Date"])
    report["date_iso"] = msg["Date"].datetime.isoformat()
    report["message_id"] = str(msg["Message-ID"])
    report["mime_version"] = str(msg["MIME-Version"])
    report["custom"] = {k: str(v) for k, v in msg.items() if k.lower().startswith("x-")}
    report["content_type"] = msg.get_content_type()
    report["structure"] = [part.get_content_type() for part in msg.walk()]
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    report["text"] = plain.get_content().replace("\r\n", "\n") if plain is not None else None
    report["html"] = html.get_content().replace("\r\n", "\n") if html is not None else None
    attachments = []
    defects = [f"message: {type(d).__name__}" for d in msg.defects] + header_defects(msg)
    for part in msg.walk():
        defects += [f"{part.get_content_type()}: {type(d).__name__}" for d in part.defects]
        if part is not msg:
            defects += header_defects(part)
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True)
        attachments.append({
            "filename": part.get_filename(),
            "content_type": part.get_content_type(),
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        })
    report["attachments"] = attachments
    report["defects"] = defects
    print(json.dumps(report, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])

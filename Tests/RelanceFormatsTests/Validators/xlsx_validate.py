#!/usr/bin/env python3
"""Independent check of an .xlsx written by XLSXWorkbook: opens it with openpyxl and prints,
as JSON, every sheet's name, frozen pane, autofilter range, column widths and each cell's
value, openpyxl data type (s string, n number, d date, f formula), number format and
boldness, and the distinct modification dates of the ZIP entries. Usage: xlsx_validate.py FILE"""
import datetime
import json
import sys
import zipfile

import openpyxl


def cell_value(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def main(path):
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        rows = []
        for row in ws.iter_rows():
            rows.append([
                {
                    "value": cell_value(c.value),
                    "type": c.data_type,
                    "format": c.number_format,
                    "bold": bool(c.font and c.font.b),
                }
                for c in row
            ])
        widths = {key: dim.width for key, dim in ws.column_dimensions.items() if dim.customWidth}
        sheets.append({
            "name": ws.title,
            "freeze_panes": ws.freeze_panes,
            "auto_filter": ws.auto_filter.ref,
            "widths": widths,
            "rows": rows,
        })
    with zipfile.ZipFile(path) as archive:
        zip_dates = sorted({"%04d-%02d-%02d %02d:%02d:%02d" % info.date_time for info in archive.infolist()})
    props = book.properties
    print(json.dumps({
        "sheets": sheets,
        "zip_dates": zip_dates,
        "title": props.title,
        "creator": props.creator,
        "created": props.created.isoformat() if props.created else None,
    }, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])

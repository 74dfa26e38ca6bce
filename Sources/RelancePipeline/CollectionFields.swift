import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// Reading the fields of the collection actions (amounts, invoice lists, instalments) and
/// turning the store's refusals into row refusals, the same for action files and commands.
public enum CollectionFields {
    /// An amount in minor units: `1234.56`, `1 234,56`, `1234,56 €`. A lone comma or a comma
    /// after the last point is the decimal separator, else the point is.
    public static func amount(_ text: String, places: Int = 2) -> Int64? {
        let bytes = Array(text.utf8)
        let lastComma = bytes.lastIndex(of: UInt8(ascii: ","))
        let lastPoint = bytes.lastIndex(of: UInt8(ascii: "."))
        let decimal: DecimalSeparator
        switch (lastComma, lastPoint) {
        case let (c?, p?): decimal = c > p ? .comma : .point
        case (_?, nil): decimal = .comma
        default: decimal = .point
        }
        guard case let .success(v) = AmountParser.parse(bytes, decimal: decimal, places: places) else { return nil }
        return v
    }

    /// The row's `amount` field, refused when unreadable or not positive.
    static func amount(_ row: ActionRow, _ key: String = "amount") throws(ActionRefusal) -> Int64? {
        guard let text = row[key] else { return nil }
        guard let v = amount(text), v > 0 else { throw ActionRefusal("unreadable or non-positive amount \"\(text)\"", field: key) }
        return v
    }

    /// Invoice numbers from `invoices` (`N1|N2` or `N1,N2`) and/or `invoice_number`; nil when neither is given.
    static func invoiceList(_ row: ActionRow) -> [String]? {
        var out: [String] = []
        if let list = row["invoices"] {
            out += list.split(whereSeparator: { $0 == "|" || $0 == "," || $0 == ";" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let one = row["invoice_number"] { out.append(one) }
        return out.isEmpty ? nil : out
    }

    /// `D:AMOUNT|D:AMOUNT` (dates `yyyy-mm-dd` or `dd/mm/yyyy`).
    public static func instalments(_ text: String) -> Result<[(day: Day, amount: Int64)], ActionRefusal> {
        var out: [(day: Day, amount: Int64)] = []
        for part in text.split(separator: "|") {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard let colon = item.firstIndex(of: ":") else {
                return .failure(ActionRefusal("instalment \"\(item)\" is not DATE:AMOUNT", field: "instalments"))
            }
            let dateText = String(item[..<colon]).trimmingCharacters(in: .whitespaces)
            let amountText = String(item[item.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            guard let day = Day.parse(dateText) else { return .failure(ActionRefusal("unreadable date \"\(dateText)\" in instalment \"\(item)\"", field: "instalments")) }
            guard let amount = amount(amountText), amount > 0 else {
                return .failure(ActionRefusal("unreadable or non-positive amount \"\(amountText)\" in instalment \"\(item)\"", field: "instalments"))
            }
            out.append((day, amount))
        }
        guard !out.isEmpty else { return .failure(ActionRefusal("no instalment given (DATE:AMOUNT|DATE:AMOUNT)", field: "instalments")) }
        return .success(out)
    }

    /// Runs a store operation, turning its `CollectionRefusal` into the row's `ActionRefusal`.
    static func refusing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let r as CollectionRefusal { throw ActionRefusal(r.reason, field: r.field) }
    }
}

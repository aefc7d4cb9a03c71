extension Amortization {
    /// A loan's monthly figures, month 1 first.
    struct Loan {
        var payment = 0.0
        var interest: [Double] = []
        var payments: [Double] = []
        var balances: [Double] = []
    }

    static func term(years: Double?, method: AmortizationMethod) throws -> Int {
        var fromSchedule: Int?
        if case let .custom(schedule) = method {
            try Check.count(schedule.count, in: 1, Check.maxMonths, "custom schedule length")
            fromSchedule = schedule.count
        }
        guard let years else {
            if let fromSchedule { return fromSchedule }
            throw CostError.missing(name: "years", reason: "the write-off term of straight-line and declining-balance schedules")
        }
        try Check.positive(years, "years")
        let months = (years * 12).rounded()
        // A schedule is monthly: a fraction of a month has no entry to live in.
        guard abs(years * 12 - months) < 1e-9, months >= 1, months <= Double(Check.maxMonths) else {
            throw CostError.invalid(name: "years", expected: "a whole number of months (years × 12)",
                                    got: formatNumber(years))
        }
        if let fromSchedule, fromSchedule != Int(months) {
            throw CostError.invalid(name: "years", expected: "the custom schedule's \(fromSchedule) months / 12",
                                    got: formatNumber(years))
        }
        return Int(months)
    }

    static func depreciation(price: Double, residual: Double, months: Int,
                             method: AmortizationMethod) throws -> [Double] {
        let base = price - residual
        switch method {
        case .straightLine:
            return Array(repeating: base / Double(months), count: months)
        case let .decliningBalance(annualRate):
            try Check.positive(annualRate, "declining-balance rate")
            // A monthly rate above 100 % would write off more than the book value.
            guard annualRate <= 12 else {
                throw CostError.invalid(name: "declining-balance rate", expected: "≤ 12 (100 % a month)",
                                        got: formatNumber(annualRate))
            }
            return decliningBalance(price: price, residual: residual, months: months, annualRate: annualRate)
        case let .custom(schedule):
            for (index, amount) in schedule.enumerated() {
                try Check.nonNegative(amount, "custom schedule[\(index + 1)]")
            }
            let sum = schedule.reduce(0, +)
            // Book value may not fall below the residual; a small tolerance absorbs rounding in the user's amounts.
            guard sum <= base + 1e-9 * max(1, price) else {
                throw CostError.invalid(name: "custom schedule total", expected: "≤ price − residual (\(formatNumber(base)))",
                                        got: formatNumber(sum))
            }
            return schedule
        }
    }

    private static func decliningBalance(price: Double, residual: Double, months: Int,
                                         annualRate: Double) -> [Double] {
        var book = price
        var amounts: [Double] = []
        for month in 1...months {
            let declining = book * annualRate / 12
            let straight = (book - residual) / Double(months - month + 1)
            let amount = min(max(declining, straight), book - residual)
            amounts.append(amount)
            book -= amount
        }
        return amounts
    }

    static func loan(_ financing: Financing?, price: Double, months: Int) throws -> Loan {
        guard let financing else { return Loan() }
        let amount = financing.amount ?? price
        guard amount <= price else {
            throw CostError.invalid(name: "financed amount", expected: "≤ price (\(formatNumber(price)))",
                                    got: formatNumber(amount))
        }
        let term = financing.months ?? months
        let rate = financing.annualRate / 12
        var loan = Loan(payment: Financing.payment(principal: amount, monthlyRate: rate, months: term))
        var balance = amount
        for month in 1...term {
            let interest = balance * rate
            // The last payment clears what rounding left over.
            balance = month == term ? 0 : max(0, balance - (loan.payment - interest))
            loan.interest.append(interest)
            loan.payments.append(loan.payment)
            loan.balances.append(balance)
        }
        return loan
    }

    static func merge(price: Double, depreciation: [Double], loan: Loan) -> [AmortizationEntry] {
        let count = max(depreciation.count, loan.payments.count)
        var book = price
        return (0..<count).map { index in
            let amount = index < depreciation.count ? depreciation[index] : 0
            book -= amount
            let hasLoan = index < loan.payments.count
            return AmortizationEntry(month: index + 1, depreciation: amount,
                                     interest: hasLoan ? loan.interest[index] : 0,
                                     payment: hasLoan ? loan.payments[index] : 0,
                                     loanBalance: hasLoan ? loan.balances[index] : 0,
                                     bookValue: book)
        }
    }
}

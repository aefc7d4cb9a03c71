extension GPUPreset {
    /// Every preset, the paper's A800 80G first.
    ///
    /// Shared assumptions (the A800 baseline's, since the paper's own values are not in
    /// our copy): Y = 3 years, u = 1, PUE = 1.3, E = $0.10/kWh, m = 10 % of P a year.
    /// Power is the board power (TDP) from data/gpus.md, an upper bound on average draw.
    /// Prices without a reference in gpus.md are public street estimates as of 2026-11.
    public static let all: [GPUPreset] = [
        preset("A800-80G", ["A800", "A800-SXM", "A800-80G-SXM"], price: 15_000, kW: 0.400,
               priceSource: "assumption: one documented set reproducing the paper's $0.79/h (the paper's own values are not in our copy)",
               powerSource: "400 W, the A100 SXM board power (gpus.md)"),
        preset("A100-80G-SXM", ["A100", "A100-80G", "A100-SXM"], price: 17_500, kW: 0.400,
               priceSource: "midpoint of the $15–20k purchase range in gpus.md",
               powerSource: "400 W board power (gpus.md)"),
        preset("H100-SXM", ["H100", "H100-80G", "H100-SXM5"], price: 30_000, kW: 0.700,
               priceSource: "assumption 2026-11: street estimate ≈ $30k (public estimates range $25–40k)",
               powerSource: "700 W board power (gpus.md)"),
        preset("H200", ["H200-SXM", "H200-141G"], price: 35_000, kW: 0.700,
               priceSource: "assumption 2026-11: street estimate ≈ $35k",
               powerSource: "700 W board power (gpus.md)"),
        preset("L40S", ["L40S-48G"], price: 8_500, kW: 0.350,
               priceSource: "assumption 2026-11: midpoint of street estimates $7–10k",
               powerSource: "350 W board power (gpus.md)"),
        preset("L4", ["L4-24G"], price: 2_500, kW: 0.072,
               priceSource: "assumption 2026-11: retail ≈ $2,500",
               powerSource: "72 W board power (gpus.md)"),
        preset("B200", ["B200-HGX", "B200-SXM"], price: 40_000, kW: 1.000,
               priceSource: "assumption 2026-11: street estimate ≈ $40k (public estimates $30–40k)",
               powerSource: "1000 W board power, HGX (gpus.md)"),
        preset("MI300X", ["MI300X-192G", "Instinct-MI300X"], price: 12_500, kW: 0.750,
               priceSource: "assumption 2026-11: midpoint of street estimates $10–15k",
               powerSource: "750 W board power (gpus.md)"),
        preset("RTX-4090", ["4090", "GeForce-RTX-4090"], price: 1_599, kW: 0.450,
               priceSource: "MSRP $1,599 (gpus.md)",
               powerSource: "450 W board power (gpus.md)"),
    ]

    private static func preset(_ name: String, _ aliases: [String], price: Double, kW: Double,
                               priceSource: String, powerSource: String) -> GPUPreset {
        // The shared assumptions listed on `all`; the values are valid, so no check is needed.
        let cost = GPUCost(unchecked: price, 3, 1, kW, 1.3, 0.10, 0.10, .zero)
        return GPUPreset(name: name, aliases: aliases, baseline: cost,
                         priceSource: priceSource, powerSource: powerSource)
    }
}

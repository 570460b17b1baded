// Stage 6: SIMD multipliers (8-bit weight x 8-bit iact, iact signed or unsigned).
module pe_mac #(
    parameter int SIMD = 2,
    parameter int VBITS = 8,
    parameter int PBITS = 20
) (
    input logic clk,
    input logic iact_signed,
    input logic [VBITS-1:0] iact,
    input logic [SIMD*(VBITS)-1:0] weight,
    output logic [SIMD*(PBITS)-1:0] product
);
  always_ff @(posedge clk)
    for (int l = 0; l < SIMD; l++) begin
      logic signed [VBITS:0] a;
      logic signed [VBITS:0] w;
      logic signed [2*VBITS+1:0] p;
      a = {iact_signed & iact[VBITS-1], iact};
      w = {weight[l*VBITS+VBITS-1], weight[l*VBITS+:VBITS]};
      p = a * w;
      product[(l)*(PBITS)+:(PBITS)] <= PBITS'(p);
    end
endmodule

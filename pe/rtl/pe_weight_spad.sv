// weight data SPad (an SRAM on the chip): WORDS x (SIMD lanes of count + value).
// Lane-granular writes (dense weights arrive three values per link word); registered read.
module pe_weight_spad #(
    parameter int WORDS = 96,
    parameter int SIMD = 2,
    parameter int LBITS = 12,
    parameter int WR = 3,
    localparam int AW = $clog2(WORDS),
    localparam int LW = (SIMD > 1) ? $clog2(SIMD) : 1
) (
    input logic clk,
    input logic [WR-1:0] we,
    input logic [WR*(AW)-1:0] waddr,
    input logic [WR*(LW)-1:0] wlane,
    input logic [WR*(LBITS)-1:0] wdata,
    input logic [AW-1:0] raddr,
    output logic [SIMD*LBITS-1:0] rdata
);
  logic [SIMD*LBITS-1:0] mem[WORDS];
  always_ff @(posedge clk) begin
    for (int i = 0; i < WR; i++) if (we[i]) mem[waddr[i*AW+:AW]][wlane[i*LW+:LW]*LBITS+:LBITS] <= wdata[i*LBITS+:LBITS];
    rdata <= mem[raddr];
  end
endmodule

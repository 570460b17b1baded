// iact data SPad: ENTRIES x (count + value), up to WR entries written per cycle.
module pe_iact_spad #(
    parameter int ENTRIES = 16,
    parameter int EBITS = 12,
    parameter int WR = 3,
    localparam int AW = $clog2(ENTRIES)
) (
    input logic clk,
    input logic [WR-1:0] we,
    input logic [WR*(AW)-1:0] waddr,
    input logic [WR*(EBITS)-1:0] wdata,
    input logic [AW-1:0] raddr,
    output logic [EBITS-1:0] rdata
);
  logic [EBITS-1:0] mem[ENTRIES];
  always_ff @(posedge clk)
    for (int i = 0; i < WR; i++) if (we[i]) mem[waddr[(i)*(AW)+:(AW)]] <= wdata[(i)*(EBITS)+:(EBITS)];
  assign rdata = mem[raddr];
endmodule

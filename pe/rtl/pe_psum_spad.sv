// psum SPad: ENTRIES x PBITS, NW read-modify-write ports (wrapping adds) and one clear.
module pe_psum_spad #(
    parameter int ENTRIES = 32,
    parameter int PBITS = 20,
    parameter int NW = 4,
    parameter int NR = 2,
    localparam int AW = $clog2(ENTRIES)
) (
    input logic clk,
    input logic [NW-1:0] add_en,
    input logic [NW*(AW)-1:0] add_addr,
    input logic [NW*(PBITS)-1:0] add_value,
    input logic clear_en,  // zeroes entries [clear_base, clear_base + clear_len)
    input logic [AW:0] clear_base,
    input logic [AW:0] clear_len,
    input logic [NR*(AW)-1:0] raddr,
    output logic [NR*(PBITS)-1:0] rdata
);
  logic [PBITS-1:0] mem[ENTRIES];
  always_ff @(posedge clk) begin
    for (int e = 0; e < ENTRIES; e++)
      if (clear_en && (AW + 1)'(e) >= clear_base && (AW + 1)'(e) < clear_base + clear_len)
        mem[e] <= '0;
    // Distinct addresses by construction (lanes of one word hold distinct rows; psum-in adds
    // go to a row whose MACs are done).
    for (int i = 0; i < NW; i++) if (add_en[i]) mem[add_addr[(i)*(AW)+:(AW)]] <= mem[add_addr[(i)*(AW)+:(AW)]] + add_value[(i)*(PBITS)+:(PBITS)];
  end
  for (genvar r = 0; r < NR; r++) begin : g_read
    assign rdata[(r)*(PBITS)+:(PBITS)] = mem[raddr[(r)*(AW)+:(AW)]];
  end
endmodule

// The Eyeriss v2 sparse PE, synthesizable SystemVerilog (docs/rtl.md). One pass (an RS+ 1-D
// convolution primitive, docs/pe-cycle-model.md) at a time: configure, take the weight block
// and the iact segments of the pass, compute every output position, add the psum rows from
// below, send every row up. A bypass pass (cfg_active = 0) forwards psum rows only.
//
// Pipeline (eyeriss-v2-facts: 7 stages):
//   1-2  walk the window's iact entries, one per cycle (iact address and data SPads);
//   3    weight address SPad: the entry's weight column, its first word and word count;
//        explicit zeros and empty columns end here (an empty column is "dropped");
//   4    issue one weight-data word per cycle (the column's words back to back); a FIFO
//        between 3 and 4 lets the front run ahead, an item walked while stage 4 is idle
//        issues in the same cycle;
//   5    weight data SPad read data (an SRAM: registered read);
//   6    SIMD multipliers;
//   7    psum SPad read-add-write (wrapping PSUM_BITS).
// A position occupies stages 1-4 for max(walk, issue, 1) cycles; its row is final 3 cycles
// after its last issue (stages 5-7).
//
// Links: data / enable / ready with a `last` flag, words in the link format of
// noc/link_format.h; a word moves at a clock edge where enable and ready are both high, and a
// packet, once its first word moved, moves one word per cycle (ready stays high). The first
// word carries a length beside it (iacts: entries; weights: data words (sparse) or values
// (dense)), which the sender knows from its address vector.
module eyeriss_pe #(
    parameter int SIMD = 2,
    parameter int IACT_ADDR_ENTRIES = 9,
    parameter int IACT_DATA_ENTRIES = 16,
    parameter int WEIGHT_ADDR_ENTRIES = 16,
    parameter int WEIGHT_DATA_ENTRIES = 96,
    parameter int PSUM_ENTRIES = 32,
    parameter int PSUM_BITS = 20,
    parameter int COUNT_BITS = 4,
    parameter int VALUE_BITS = 8,
    parameter int WEIGHT_ADDR_BITS = 7,
    parameter int LINK_BITS = 24,
    parameter int PSUM_LINK_BITS = 40
) (
    input logic clk,
    input logic rst_n,
    // MAC side: each pass with a reduction item, in order; taken once the previous one's last
    // position is done. The loop bounds the PE controller needs.
    input logic cfg_valid,
    output logic cfg_ready,
    input logic cfg_dense,  // raw data, address SPads gated
    input logic cfg_signed,  // iacts are signed
    input logic [5:0] cfg_mc,  // psums per row (output channels)
    input logic [4:0] cfg_cc,  // input channels
    input logic [4:0] cfg_s,  // filter width S
    input logic [4:0] cfg_u,  // stride U
    input logic [4:0] cfg_ws,  // segments per window
    input logic [4:0] cfg_cut_rows,  // last window segment: rows (u*cc + c) inside the window
    input logic [5:0] cfg_wpc,  // dense: weight words per column, ceil(mc / SIMD)
    input logic [15:0] cfg_segments,  // iact segments of the pass
    input logic [15:0] cfg_rows,  // output positions
    // Row side: every pass with psum rows through this PE, in order (bypass passes too).
    input logic rcfg_valid,
    output logic rcfg_ready,
    input logic rcfg_bypass,  // rows from below pass through
    input logic rcfg_psum_in,  // rows from below are added to this pass's rows
    input logic [5:0] rcfg_mc,
    input logic [15:0] rcfg_rows,
    // iact link (from the iact routers' bus)
    input logic [LINK_BITS-1:0] iact_data,
    input logic iact_enable,
    input logic iact_last,
    input logic [4:0] iact_len,
    output logic iact_ready,
    // weight link (from the row's weight router)
    input logic [LINK_BITS-1:0] w_data,
    input logic w_enable,
    input logic w_last,
    input logic [7:0] w_len,
    output logic w_ready,
    // psum link from the PE below (or the psum router)
    input logic [PSUM_LINK_BITS-1:0] pin_data,
    input logic pin_enable,
    input logic pin_last,
    output logic pin_ready,
    // psum link up
    output logic [PSUM_LINK_BITS-1:0] pout_data,
    output logic pout_enable,
    output logic pout_last,
    input logic pout_ready,
    // Observability: a pulse per position done, with the cycles it occupied stages 1-4.
    output logic pos_done,
    output logic [15:0] pos_cycles,
    output logic [31:0] cycle,
    output logic mac_issue,  // stage 4 issues a weight word this cycle (a MAC cycle)
    output logic busy  // work in flight that needs no input (a position, the pipeline, a drain)
                       // (a row offered on pout waits for the receiver: not busy)
);
  localparam int EB = COUNT_BITS + VALUE_BITS;  // one CSC entry / weight lane
  localparam int IAW = $clog2(IACT_DATA_ENTRIES);
  localparam int WAW = $clog2(WEIGHT_DATA_ENTRIES);
  localparam int PAW = $clog2(PSUM_ENTRIES);
  localparam int LW = (SIMD > 1) ? $clog2(SIMD) : 1;
  localparam int ADDR_WORDS = (WEIGHT_ADDR_ENTRIES * WEIGHT_ADDR_BITS + LINK_BITS - 1) / LINK_BITS;
  localparam int NREC = IACT_DATA_ENTRIES;  // segment records (a segment holds >= 0 entries)
  localparam int RW = $clog2(NREC);
  localparam int PPW = PSUM_LINK_BITS / PSUM_BITS;  // psums per psum link word
  localparam int PER_WORD = LINK_BITS / EB;  // CSC entries per iact link word
  localparam int RAW_PER_WORD = LINK_BITS / VALUE_BITS;  // raw values per link word

  // ---------------------------------------------------------------- pass configuration
  logic mrun;  // a pass on the MAC side (until its last position is done)
  logic init;  // first cycle after reset: the psum SPad is cleared
  logic dense, sgn;
  logic [5:0] mc, wpc;
  logic [4:0] cc, fs, fu, ws, cut_rows;
  logic [15:0] nseg, nrows;

  assign cfg_ready = !mrun && !init;
  wire take_cfg = cfg_valid && cfg_ready;

  // ---------------------------------------------------------------- weights
  logic w_busy, w_loaded;
  logic [7:0] w_cnt, w_left;
  logic [LINK_BITS-1:0] addr_words[ADDR_WORDS];
  logic [7:0] w_len_hold;
  wire [7:0] w_len_q = w_busy ? w_len_hold : w_len;  // this packet's length
  wire [7:0] w_left_now = w_busy ? w_left : w_len;  // dense: values still to come
  logic [6:0] dk;  // dense: column and row of the next value
  logic [5:0] dm;
  assign w_ready = mrun && !w_loaded && (w_busy || w_enable);
  wire w_move = w_ready && w_enable;

  logic [2:0] wsp_we;
  logic [(2+1)*(WAW)-1:0] wsp_waddr;
  logic [(2+1)*(LW)-1:0] wsp_wlane;
  logic [(2+1)*(EB)-1:0] wsp_wdata;
  logic [WAW-1:0] wsp_raddr;
  logic [SIMD*(EB)-1:0] wsp_rdata;

  logic [6:0] nk;  // dense column/row stepping for up to three values per word
  logic [5:0] nm;
  always_comb begin
    wsp_we = '0;
    wsp_waddr = '0;
    wsp_wlane = '0;
    wsp_wdata = '0;
    nk = dk;
    nm = dm;
    if (w_move) begin
      if (!dense) begin
        if (w_cnt < w_len_q) begin
          for (int l = 0; l < SIMD; l++) begin
            wsp_we[l] = 1'b1;
            wsp_waddr[(l)*(WAW)+:(WAW)] = WAW'(w_cnt);
            wsp_wlane[(l)*(LW)+:(LW)] = LW'(l);
            wsp_wdata[(l)*(EB)+:(EB)] = w_data[l*EB+:EB];
          end
        end
      end else begin
        for (int i = 0; i < RAW_PER_WORD; i++)
          if (8'(i) < w_left_now) begin
            wsp_we[i] = 1'b1;
            wsp_waddr[(i)*(WAW)+:(WAW)] = WAW'(nk * 7'(wpc) + (7'(nm) >> LW));
            wsp_wlane[(i)*(LW)+:(LW)] = LW'(nm);
            wsp_wdata[(i)*(EB)+:(EB)] = {w_data[i*VALUE_BITS+:VALUE_BITS], COUNT_BITS'(0)};
            if (nm + 6'd1 == mc) begin
              nm = '0;
              nk = nk + 7'd1;
            end else nm = nm + 6'd1;
          end
      end
    end
  end

  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) begin
      w_busy <= 1'b0;
      w_loaded <= 1'b0;
      w_cnt <= '0;
      w_left <= '0;
      w_len_hold <= '0;
      dk <= '0;
      dm <= '0;
      for (int i = 0; i < ADDR_WORDS; i++) addr_words[i] <= '0;
    end else if (take_cfg) begin
      w_busy <= 1'b0;
      w_loaded <= 1'b0;
      w_cnt <= '0;
      dk <= '0;
      dm <= '0;
    end else if (w_move) begin
      if (!w_busy) w_len_hold <= w_len;
      w_busy <= !w_last;
      w_loaded <= w_last;
      w_cnt <= w_cnt + 8'd1;
      dk <= nk;
      dm <= nm;
      w_left <= (w_left_now > 8'(RAW_PER_WORD)) ? w_left_now - 8'(RAW_PER_WORD) : 8'd0;
      if (!dense && w_cnt >= w_len_q)
        for (int i = 0; i < ADDR_WORDS; i++)
          if (8'(i) == w_cnt - w_len_q) addr_words[i] <= w_data;
    end

  // Column ends (in words) from the weight address SPad.
  logic [ADDR_WORDS*LINK_BITS-1:0] addr_flat;
  always_comb for (int i = 0; i < ADDR_WORDS; i++) addr_flat[i*LINK_BITS+:LINK_BITS] = addr_words[i];
  function automatic logic [WEIGHT_ADDR_BITS-1:0] wend(input logic [6:0] k);
    wend = addr_flat[k*WEIGHT_ADDR_BITS+:WEIGHT_ADDR_BITS];
  endfunction

  pe_weight_spad #(
      .WORDS(WEIGHT_DATA_ENTRIES),
      .SIMD(SIMD),
      .LBITS(EB),
      .WR(3)
  ) u_weight_spad (
      .clk(clk),
      .we(wsp_we),
      .waddr(wsp_waddr),
      .wlane(wsp_wlane),
      .wdata(wsp_wdata),
      .raddr(wsp_raddr),
      .rdata(wsp_rdata)
  );

  // ---------------------------------------------------------------- iact segments
  // Records of the resident segments (segment j in slot j mod NREC): first data entry, length,
  // entries inside the window when it is a window's last segment.
  logic [IAW-1:0] rec_base[NREC];
  logic [4:0] rec_len[NREC];
  logic [4:0] rec_cut[NREC];
  logic [15:0] seg_alloc, seg_written, seg_lo, pos_done_cnt;
  logic [4:0] used;
  logic [IAW-1:0] wp;
  logic i_busy;
  logic [4:0] i_cnt, i_len, i_cut;
  logic [5:0] i_rowp1;  // row + 1 of the last entry written

  // Eviction: segment j leaves once position j (its last user) is done.
  wire evictable = (seg_lo < pos_done_cnt) && (seg_lo < seg_written);
  wire [4:0] used_eff = used - (evictable ? rec_len[RW'(seg_lo)] : 5'd0);
  wire [15:0] resident_eff = seg_alloc - seg_lo - (evictable ? 16'd1 : 16'd0);
  wire iact_room = (6'(used_eff) + 6'(iact_len) <= 6'(IACT_DATA_ENTRIES)) &&
      (dense || resident_eff + 16'd1 <= 16'(IACT_ADDR_ENTRIES));
  assign iact_ready = mrun && (i_busy || (iact_enable && seg_alloc < nseg && iact_room));
  wire i_move = iact_ready && iact_enable;

  logic [2:0] isp_we;
  logic [(2+1)*(IAW)-1:0] isp_waddr;
  logic [(2+1)*(EB)-1:0] isp_wdata;
  logic [IAW-1:0] isp_raddr;
  logic [EB-1:0] isp_rdata;
  logic [4:0] n_cnt, n_cut;
  logic [5:0] n_rowp1;
  wire [IAW-1:0] i_base = i_busy ? rec_base[RW'(seg_alloc - 16'd1)] : wp;
  wire [4:0] i_len_now = i_busy ? i_len : iact_len;
  logic [EB-1:0] e;
  logic ok;
  always_comb begin
    e = '0;
    ok = 1'b0;
    isp_we = '0;
    isp_waddr = '0;
    isp_wdata = '0;
    n_cnt = i_busy ? i_cnt : 5'd0;
    n_cut = i_busy ? i_cut : 5'd0;
    n_rowp1 = i_busy ? i_rowp1 : 6'd0;
    if (i_move) begin
      for (int i = 0; i < 3; i++) begin
        ok = dense ? (i < RAW_PER_WORD) : (i < PER_WORD);
        e = dense ? {iact_data[i*VALUE_BITS+:VALUE_BITS], COUNT_BITS'(0)} :
            iact_data[(i%PER_WORD)*EB+:EB];
        if (ok && n_cnt < i_len_now) begin
          isp_we[i] = 1'b1;
          isp_waddr[(i)*(IAW)+:(IAW)] = i_base + IAW'(n_cnt);
          isp_wdata[(i)*(EB)+:(EB)] = e;
          // row = previous row + 1 + count; inside the window when row < cut_rows.
          if (n_rowp1 + 6'(e[COUNT_BITS-1:0]) < 6'(cut_rows)) n_cut = n_cut + 5'd1;
          n_rowp1 = n_rowp1 + 6'(e[COUNT_BITS-1:0]) + 6'd1;
          n_cnt = n_cnt + 5'd1;
        end
      end
    end
  end

  pe_iact_spad #(
      .ENTRIES(IACT_DATA_ENTRIES),
      .EBITS(EB),
      .WR(3)
  ) u_iact_spad (
      .clk(clk),
      .we(isp_we),
      .waddr(isp_waddr),
      .wdata(isp_wdata),
      .raddr(isp_raddr),
      .rdata(isp_rdata)
  );

  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) begin
      seg_alloc <= '0;
      seg_written <= '0;
      seg_lo <= '0;
      used <= '0;
      wp <= '0;
      i_busy <= 1'b0;
      i_cnt <= '0;
      i_len <= '0;
      i_cut <= '0;
      i_rowp1 <= '0;
      for (int j = 0; j < NREC; j++) begin
        rec_base[j] <= '0;
        rec_len[j] <= '0;
        rec_cut[j] <= '0;
      end
    end else if (take_cfg) begin
      seg_alloc <= '0;
      seg_written <= '0;
      seg_lo <= '0;
      used <= '0;
      wp <= '0;
      i_busy <= 1'b0;
    end else begin
      logic [4:0] u;
      u = used;
      if (evictable) begin
        seg_lo <= seg_lo + 16'd1;
        u = u - rec_len[RW'(seg_lo)];
      end
      if (i_move && !i_busy) begin  // first word: the segment's record
        rec_base[RW'(seg_alloc)] <= wp;
        rec_len[RW'(seg_alloc)] <= iact_len;
        i_len <= iact_len;
        wp <= wp + IAW'(iact_len);
        u = u + iact_len;
        seg_alloc <= seg_alloc + 16'd1;
      end
      used <= u;
      if (i_move) begin
        i_cnt <= n_cnt;
        i_cut <= n_cut;
        i_rowp1 <= n_rowp1;
        i_busy <= !iact_last;
        if (iact_last) begin
          rec_cut[RW'(i_busy ? seg_alloc - 16'd1 : seg_alloc)] <= n_cut;
          seg_written <= seg_written + 16'd1;
        end
      end
    end

  // ---------------------------------------------------------------- psum rows
  // One or two row slots (two when 2 * mc fit the psum SPad), used in row order. A slot is
  // zero while free. States: FREE -> MAC (position running) -> DRAIN (stages 5-7) -> WAITIN
  // (psums from below expected) -> FINAL (sending) -> FREE.
  typedef enum logic [2:0] {
    FREE,
    MAC,
    DRAIN,
    WAITIN,
    INPUT,
    FINAL
  } slot_state_t;
  // Row slots: slot 0 from the bottom of the psum SPad, slot 1 from the top, so two rows fit
  // when their psums do. Rows leave in the order they were made (ord0 first).
  slot_state_t sstate[2];
  logic [5:0] smc[2];
  logic sin[2];  // the row still expects psums from below
  logic [1:0] drain_cnt[2];
  logic ord0, ord1;
  logic [1:0] ord_n;
  logic [4:0] in_word, out_word;
  function automatic logic [PAW-1:0] base_of(input logic s);
    base_of = s ? PAW'(7'(PSUM_ENTRIES) - 7'(smc[1])) : '0;
  endfunction
  function automatic logic [PAW-1:0] base_for(input logic s, input logic [5:0] m);
    base_for = s ? PAW'(7'(PSUM_ENTRIES) - 7'(m)) : '0;
  endfunction
  function automatic logic room(input logic [5:0] m);
    room = ord_n == 2'd0 || (ord_n == 2'd1 && 7'(smc[ord0]) + 7'(m) <= 7'(PSUM_ENTRIES));
  endfunction
  wire new_slot = (ord_n == 2'd0) ? 1'b0 : ~ord0;

  // Passes on the row side, in order; rq_made rows of the head made so far.
  localparam int RQD = 4;
  logic rq_bypass[RQD], rq_psum_in[RQD];
  logic [5:0] rq_mc[RQD];
  logic [15:0] rq_rows[RQD];
  logic [1:0] rq_rd;
  logic [2:0] rq_n;
  logic [15:0] rq_made;
  assign rcfg_ready = rq_n < 3'(RQD) && !init;
  wire take_rcfg = rcfg_valid && rcfg_ready;
  wire head_active = rq_n != 0 && !rq_bypass[rq_rd];
  wire head_bypass = rq_n != 0 && rq_bypass[rq_rd];

  // psums from below: into the oldest row that expects them once its own MACs are done, or,
  // when none does, as a new row of the bypass pass at the head.
  wire tgt_valid = (ord_n >= 2'd1 && sin[ord0]) || (ord_n == 2'd2 && sin[ord1]);
  wire tgt = (ord_n >= 2'd1 && sin[ord0]) ? ord0 : ord1;
  wire pin_create = !tgt_valid && head_bypass && room(rq_mc[rq_rd]);
  assign pin_ready = pin_enable && !init &&
      (tgt_valid ? (sstate[tgt] == WAITIN || sstate[tgt] == INPUT) : pin_create);
  wire pin_move = pin_ready && pin_enable;
  wire in_slot = tgt_valid ? tgt : new_slot;
  wire [5:0] in_mc = tgt_valid ? smc[tgt] : rq_mc[rq_rd];

  // Send-out: the oldest row, PPW psums per word.
  logic [(1+1)*(PAW)-1:0] psp_raddr;
  logic [(1+1)*(PSUM_BITS)-1:0] psp_rdata;
  wire [4:0] row_words = 5'((7'(smc[ord0]) + 7'(PPW) - 7'd1) / 7'(PPW));
  always_comb begin
    for (int r = 0; r < 2; r++)
      psp_raddr[(r)*(PAW)+:(PAW)] = base_of(ord0) + PAW'(out_word) * PAW'(PPW) + PAW'(r);
    pout_data = '0;
    for (int r = 0; r < PPW && r < 2; r++)
      if (7'(out_word) * 7'(PPW) + 7'(r) < 7'(smc[ord0]))
        pout_data[r*PSUM_BITS+:PSUM_BITS] = psp_rdata[(r)*(PSUM_BITS)+:(PSUM_BITS)];
  end
  assign pout_enable = ord_n != 0 && sstate[ord0] == FINAL;
  assign pout_last = (out_word + 5'd1 == row_words);
  wire pout_move = pout_enable && pout_ready;

  // ---------------------------------------------------------------- positions (stages 1-4)
  logic pos_active;
  logic [15:0] pos_started, pos_len;
  logic [4:0] cur_t, cur_e;  // walker: window segment and entry
  logic [4:0] cur_cp1, cur_u;  // column + 1 and u of the previous entry in the segment
  logic walk_more;
  // Stage 4 (issue): the current item.
  logic b_valid;
  logic [WAW-1:0] b_addr;
  logic [6:0] b_left;
  logic [VALUE_BITS-1:0] b_val;
  // Items walked while stage 4 is busy.
  localparam int QD = IACT_DATA_ENTRIES;
  logic [WAW-1:0] q_addr[QD];
  logic [6:0] q_words[QD];
  logic [VALUE_BITS-1:0] q_val[QD];
  logic [$clog2(QD):0] q_n;
  logic [$clog2(QD)-1:0] q_rd;

  function automatic logic [4:0] seg_entries(input logic [15:0] f, input logic [4:0] t);
    logic [RW-1:0] s;
    s = RW'(f + 16'(t));
    seg_entries = (t + 5'd1 == ws) ? rec_cut[s] : rec_len[s];
  endfunction
  // First window segment at or after t with an entry to walk (ws when none).
  function automatic logic [4:0] next_seg(input logic [15:0] f, input logic [4:0] t);
    logic [4:0] r;
    logic found;
    r = ws;
    found = 1'b0;
    for (int i = 0; i < 16; i++)
      if (!found && t + 5'(i) < ws && seg_entries(f, t + 5'(i)) != 0) begin
        r = t + 5'(i);
        found = 1'b1;
      end
    next_seg = r;
  endfunction

  wire can_start = mrun && !pos_active && pos_started < nrows && w_loaded &&
      seg_written >= pos_started + 16'(ws) && head_active && room(mc);
  logic cur_slot;  // the row slot of the running position
  wire pos_slot = can_start ? new_slot : cur_slot;
  // The walker this cycle: at a start, the first entry of the new window.
  logic w_on;
  logic [15:0] wf;
  logic [4:0] wt, we_, wcp1, wu;
  always_comb begin
    w_on = 1'b0;
    wf = pos_started;
    wt = cur_t;
    we_ = cur_e;
    wcp1 = cur_cp1;
    wu = cur_u;
    if (can_start) begin
      wt = next_seg(pos_started, 5'd0);
      we_ = 5'd0;
      wcp1 = 5'd0;
      wu = 5'd0;
      w_on = wt < ws;
    end else if (pos_active) begin
      wf = pos_started - 16'd1;
      w_on = walk_more;
    end
  end
  assign isp_raddr = rec_base[RW'(wf+16'(wt))] + IAW'(we_);

  // Stages 1-3 on the walked entry.
  logic [4:0] e_c, e_u;
  logic [6:0] e_k;
  logic [WAW-1:0] e_start;
  logic [6:0] e_words;
  logic e_item;
  logic [VALUE_BITS-1:0] e_val;
  logic [4:0] n_t, n_e;
  logic n_more;
  always_comb begin
    logic [5:0] c;
    logic [4:0] u;
    c = 6'(wcp1) + (dense ? 6'd0 : 6'(isp_rdata[COUNT_BITS-1:0]));
    u = wu;
    for (int i = 0; i < 16; i++)
      if (c >= 6'(cc)) begin
        c = c - 6'(cc);
        u = u + 5'd1;
      end
    e_c = 5'(c);
    e_u = u;
    e_val = isp_rdata[EB-1:COUNT_BITS];
    e_k = 7'(e_c) * 7'(fs) + 7'(wt) * 7'(fu) + 7'(e_u);
    if (dense) begin
      e_start = WAW'(e_k * 7'(wpc));
      e_words = 7'(wpc);
    end else begin
      e_start = (e_k == 0) ? '0 : WAW'(wend(e_k - 7'd1));
      e_words = 7'(wend(e_k) - ((e_k == 0) ? '0 : wend(e_k - 7'd1)));
    end
    e_item = w_on && (dense || e_val != 0) && e_words != 0;
    // Next entry of the walk.
    n_t = wt;
    n_e = we_ + 5'd1;
    if (n_e >= seg_entries(wf, wt)) begin
      n_t = next_seg(wf, wt + 5'd1);
      n_e = 5'd0;
    end
    n_more = w_on && n_t < ws;
  end

  // Stage 4: the current item issues a word; a free stage 4 takes the FIFO head, else the item
  // walked this cycle.
  logic iss;
  logic [WAW-1:0] iss_addr;
  logic [VALUE_BITS-1:0] iss_val;
  logic iss_first;
  logic nb_valid;
  logic [WAW-1:0] nb_addr;
  logic [6:0] nb_left;
  logic [VALUE_BITS-1:0] nb_val;
  logic pop, push;
  always_comb begin
    iss = 1'b0;
    iss_addr = b_addr;
    iss_val = b_val;
    iss_first = 1'b0;
    nb_valid = b_valid;
    nb_addr = b_addr;
    nb_left = b_left;
    nb_val = b_val;
    pop = 1'b0;
    push = e_item;
    if (b_valid) begin
      iss = 1'b1;
      nb_addr = b_addr + WAW'(1);
      nb_left = b_left - 7'd1;
      nb_valid = b_left != 7'd1;
    end else if (q_n != 0) begin
      pop = 1'b1;
      iss = 1'b1;
      iss_first = 1'b1;
      iss_addr = q_addr[q_rd];
      iss_val = q_val[q_rd];
      nb_addr = q_addr[q_rd] + WAW'(1);
      nb_left = q_words[q_rd] - 7'd1;
      nb_val = q_val[q_rd];
      nb_valid = q_words[q_rd] != 7'd1;
    end else if (e_item) begin
      push = 1'b0;
      iss = 1'b1;
      iss_first = 1'b1;
      iss_addr = e_start;
      iss_val = e_val;
      nb_addr = e_start + WAW'(1);
      nb_left = e_words - 7'd1;
      nb_val = e_val;
      nb_valid = e_words != 7'd1;
    end
  end
  assign wsp_raddr = iss_addr;
  assign mac_issue = iss;
  assign busy = init || pos_active || can_start || s5_valid || s6_valid || sstate[0] == MAC ||
      sstate[0] == DRAIN || sstate[1] == MAC || sstate[1] == DRAIN;
  wire [$clog2(QD):0] nq_n = q_n + ($clog2(QD)+1)'(push) - ($clog2(QD)+1)'(pop);
  wire pos_end = (can_start || pos_active) && !n_more && !nb_valid && nq_n == 0;

  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) begin
      pos_active <= 1'b0;
      pos_started <= '0;
      pos_done_cnt <= '0;
      pos_len <= '0;
      cur_t <= '0;
      cur_e <= '0;
      cur_cp1 <= '0;
      cur_u <= '0;
      walk_more <= 1'b0;
      b_valid <= 1'b0;
      b_addr <= '0;
      b_left <= '0;
      b_val <= '0;
      q_n <= '0;
      q_rd <= '0;
      pos_done <= 1'b0;
      pos_cycles <= '0;
      for (int i = 0; i < QD; i++) begin
        q_addr[i] <= '0;
        q_words[i] <= '0;
        q_val[i] <= '0;
      end
    end else if (take_cfg) begin
      pos_active <= 1'b0;
      pos_started <= '0;
      pos_done_cnt <= '0;
      b_valid <= 1'b0;
      q_n <= '0;
      q_rd <= '0;
      pos_done <= 1'b0;
    end else begin
      pos_done <= 1'b0;
      if (can_start) begin
        pos_started <= pos_started + 16'd1;
        pos_len <= 16'd1;
      end else if (pos_active) pos_len <= pos_len + 16'd1;
      if (can_start || pos_active) begin
        cur_t <= n_t;
        cur_e <= n_e;
        if (n_t != wt) begin
          cur_cp1 <= 5'd0;
          cur_u <= 5'd0;
        end else begin
          cur_cp1 <= e_c + 5'd1;
          cur_u <= e_u;
        end
        walk_more <= n_more;
      end
      pos_active <= (can_start || pos_active) && !pos_end;
      if (pos_end) begin
        pos_done_cnt <= pos_done_cnt + 16'd1;
        pos_done <= 1'b1;
        pos_cycles <= can_start ? 16'd1 : pos_len + 16'd1;
      end
      b_valid <= nb_valid;
      b_addr <= nb_addr;
      b_left <= nb_left;
      b_val <= nb_val;
      if (push) begin
        q_addr[($clog2(QD))'(q_rd + ($clog2(QD))'(q_n))] <= e_start;
        q_words[($clog2(QD))'(q_rd + ($clog2(QD))'(q_n))] <= e_words;
        q_val[($clog2(QD))'(q_rd + ($clog2(QD))'(q_n))] <= e_val;
      end
      if (pop) q_rd <= q_rd + 1'b1;
      q_n <= nq_n;
    end

  // ---------------------------------------------------------------- stages 5-7
  logic s5_valid, s5_first, s6_valid;
  logic s5_slot;
  logic [VALUE_BITS-1:0] s5_val;
  logic [5:0] s5_m;  // row of the last lane of the column so far, + 1
  logic [5:0] s5_word;  // dense: word within the column
  logic [SIMD-1:0] s6_lane;
  logic [SIMD*(PAW)-1:0] s6_row;
  logic [SIMD-1:0] l_ok;
  logic [SIMD*(PAW)-1:0] l_row;
  logic [5:0] l_next_m;
  logic [SIMD*(VALUE_BITS)-1:0] l_w;
  logic [SIMD*(PSUM_BITS)-1:0] s6_product;
  logic [5:0] m;
  logic [COUNT_BITS-1:0] cnt;
  logic [VALUE_BITS-1:0] v;
  logic [6:0] dm_;
  always_comb begin
    m = s5_first ? 6'd0 : s5_m;
    l_ok = '0;
    l_row = '0;
    l_w = '0;
    cnt = '0;
    v = '0;
    dm_ = '0;
    for (int l = 0; l < SIMD; l++) begin
      cnt = wsp_rdata[l*EB+:COUNT_BITS];
      v = wsp_rdata[l*EB+COUNT_BITS+:VALUE_BITS];
      l_w[(l)*(VALUE_BITS)+:(VALUE_BITS)] = v;
      if (dense) begin
        dm_ = (s5_first ? 7'd0 : 7'(s5_word)) * 7'(SIMD) + 7'(l);
        l_ok[l] = s5_valid && dm_ < 7'(mc);
        l_row[(l)*(PAW)+:(PAW)] = base_of(s5_slot) + PAW'(dm_);
      end else begin
        l_ok[l] = s5_valid && !(cnt == 0 && v == 0);  // an idle lane is all zero
        if (!(cnt == 0 && v == 0)) m = m + 6'(cnt) + 6'd1;
        l_row[(l)*(PAW)+:(PAW)] = base_of(s5_slot) + PAW'(m - 6'd1);
      end
    end
    l_next_m = m;
  end
  pe_mac #(
      .SIMD(SIMD),
      .VBITS(VALUE_BITS),
      .PBITS(PSUM_BITS)
  ) u_mac (
      .clk(clk),
      .iact_signed(sgn),
      .iact(s5_val),
      .weight(l_w),
      .product(s6_product)
  );
  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) begin
      s5_valid <= 1'b0;
      s5_first <= 1'b0;
      s5_slot <= 1'b0;
      s5_val <= '0;
      s5_m <= '0;
      s5_word <= '0;
      s6_valid <= 1'b0;
      s6_lane <= '0;
      s6_row <= '0;
    end else begin
      s5_valid <= iss;
      s5_first <= iss_first;
      s5_val <= iss_val;
      s5_slot <= pos_slot;
      if (s5_valid) begin
        s5_m <= l_next_m;
        s5_word <= (s5_first ? 6'd0 : s5_word) + 6'd1;
      end
      s6_valid <= s5_valid;
      s6_lane <= l_ok;
      s6_row <= l_row;
    end

  // psum SPad ports: SIMD MAC write-backs (stage 7) and PPW psum-in adds.
  localparam int NW = SIMD + PPW;
  logic [NW-1:0] padd_en;
  logic [NW*(PAW)-1:0] padd_addr;
  logic [NW*(PSUM_BITS)-1:0] padd_val;
  logic clr_en;
  logic [PAW:0] clr_base, clr_len;
  always_comb begin
    padd_en = '0;
    padd_addr = '0;
    padd_val = '0;
    for (int l = 0; l < SIMD; l++) begin
      padd_en[l] = s6_valid && s6_lane[l];
      padd_addr[(l)*(PAW)+:(PAW)] = s6_row[(l)*(PAW)+:(PAW)];
      padd_val[(l)*(PSUM_BITS)+:(PSUM_BITS)] = s6_product[(l)*(PSUM_BITS)+:(PSUM_BITS)];
    end
    for (int r = 0; r < PPW; r++)
      if (pin_move && 7'(in_word) * 7'(PPW) + 7'(r) < 7'(in_mc)) begin
        padd_en[SIMD+r] = 1'b1;
        padd_addr[(SIMD+r)*PAW+:PAW] = base_for(in_slot, in_mc) + PAW'(in_word) * PAW'(PPW) + PAW'(r);
        padd_val[(SIMD+r)*PSUM_BITS+:PSUM_BITS] = pin_data[r*PSUM_BITS+:PSUM_BITS];
      end
    // A row's entries are zeroed as it leaves, so a new row starts from zero.
    clr_en = init || (pout_move && pout_last);
    clr_base = init ? '0 : (PAW + 1)'(base_of(ord0));
    clr_len = init ? (PAW + 1)'(PSUM_ENTRIES) : (PAW + 1)'(smc[ord0]);
  end
  pe_psum_spad #(
      .ENTRIES(PSUM_ENTRIES),
      .PBITS(PSUM_BITS),
      .NW(NW),
      .NR(2)
  ) u_psum_spad (
      .clk(clk),
      .add_en(padd_en),
      .add_addr(padd_addr),
      .add_value(padd_val),
      .clear_en(clr_en),
      .clear_base(clr_base),
      .clear_len(clr_len),
      .raddr(psp_raddr),
      .rdata(psp_rdata)
  );

  // ---------------------------------------------------------------- pass and row control
  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) begin
      mrun <= 1'b0;
      init <= 1'b1;
      dense <= 1'b0;
      sgn <= 1'b0;
      mc <= '0;
      wpc <= '0;
      cc <= '0;
      fs <= '0;
      fu <= '0;
      ws <= '0;
      cut_rows <= '0;
      nseg <= '0;
      nrows <= '0;
      cur_slot <= 1'b0;
      for (int s = 0; s < 2; s++) begin
        sstate[s] <= FREE;
        smc[s] <= '0;
        sin[s] <= 1'b0;
        drain_cnt[s] <= '0;
      end
      ord0 <= 1'b0;
      ord1 <= 1'b0;
      ord_n <= '0;
      in_word <= '0;
      out_word <= '0;
      for (int q = 0; q < RQD; q++) begin
        rq_bypass[q] <= 1'b0;
        rq_psum_in[q] <= 1'b0;
        rq_mc[q] <= '0;
        rq_rows[q] <= '0;
      end
      rq_rd <= '0;
      rq_n <= '0;
      rq_made <= '0;
      cycle <= '0;
    end else begin
      logic o0, o1, made, pop_rq;
      logic [1:0] on;
      logic [2:0] qn;
      cycle <= cycle + 32'd1;
      init <= 1'b0;
      // MAC side.
      if (take_cfg) begin
        mrun <= 1'b1;
        dense <= cfg_dense;
        sgn <= cfg_signed;
        mc <= cfg_mc;
        wpc <= cfg_wpc;
        cc <= cfg_cc;
        fs <= cfg_s;
        fu <= cfg_u;
        ws <= cfg_ws;
        cut_rows <= cfg_cut_rows;
        nseg <= cfg_segments;
        nrows <= cfg_rows;
      end else if (pos_end && pos_done_cnt + 16'd1 == nrows) begin
        mrun <= 1'b0;  // the next pass's SPads load from the next cycle
      end
      // Row slots, each on its own: a running position's row drains through stages 5-7.
      for (int s = 0; s < 2; s++)
        case (sstate[s])
          MAC:
          if (pos_end && !can_start && 1'(s) == cur_slot) begin
            sstate[s] <= DRAIN;
            drain_cnt[s] <= 2'd2;
          end
          DRAIN:
          if (drain_cnt[s] == 0) sstate[s] <= sin[s] ? WAITIN : FINAL;
          else drain_cnt[s] <= drain_cnt[s] - 2'd1;
          default: ;
        endcase
      o0 = ord0;
      o1 = ord1;
      on = ord_n;
      made = 1'b0;
      // The oldest row leaves with its last word.
      if (pout_move) begin
        out_word <= pout_last ? 5'd0 : out_word + 5'd1;
        if (pout_last) begin
          sstate[ord0] <= FREE;
          o0 = ord1;
          on = on - 2'd1;
        end
      end
      // A position starting makes its row (a position of one cycle ends as it starts).
      if (can_start) begin
        sstate[new_slot] <= pos_end ? DRAIN : MAC;
        drain_cnt[new_slot] <= 2'd2;
        smc[new_slot] <= mc;
        sin[new_slot] <= rq_psum_in[rq_rd];
        cur_slot <= new_slot;
        made = 1'b1;
      end
      // psums from below: added to their row, or a new bypass row.
      if (pin_move) begin
        in_word <= pin_last ? 5'd0 : in_word + 5'd1;
        sstate[in_slot] <= pin_last ? FINAL : INPUT;
        sin[in_slot] <= !pin_last;
        if (!tgt_valid) begin
          smc[in_slot] <= rq_mc[rq_rd];
          made = 1'b1;
        end
      end
      if (made) begin
        if (on == 2'd0) o0 = new_slot;
        else o1 = new_slot;
        on = on + 2'd1;
      end
      ord0 <= o0;
      ord1 <= o1;
      ord_n <= on;
      // Pass queue: a new pass at the tail; the head leaves once all its rows are made.
      pop_rq = made && rq_made + 16'd1 == rq_rows[rq_rd];
      qn = rq_n;
      if (made) rq_made <= pop_rq ? 16'd0 : rq_made + 16'd1;
      if (pop_rq) begin
        rq_rd <= rq_rd + 2'd1;
        qn = qn - 3'd1;
      end
      if (take_rcfg) begin
        rq_bypass[2'(rq_rd + 2'(rq_n))] <= rcfg_bypass;
        rq_psum_in[2'(rq_rd + 2'(rq_n))] <= rcfg_psum_in;
        rq_mc[2'(rq_rd + 2'(rq_n))] <= rcfg_mc;
        rq_rows[2'(rq_rd + 2'(rq_n))] <= rcfg_rows;
        qn = qn + 3'd1;
      end
      rq_n <= qn;
    end
endmodule

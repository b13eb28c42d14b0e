;; graft's hand-written WebAssembly SIMD kernels. They run on tfjs-backend-wasm's own memory (imported), so they read
;; and write tensors in place by their heap addresses. Rebuild kernels-wasm.ts after editing:
;;   npm run build:simd -w @graft/engine
(module
  (import "env" "memory" (memory 0))

  ;; C[t] = A[t] · B[t] for t < batch, float32. A[t] is m×k, read with byte strides aRow (between rows) and aCol
  ;; (between columns), so a transposed A costs nothing; B[t] is k×n and C[t] is m×n, both row-major and contiguous.
  ;; aBatch / bBatch / cBatch are the byte strides between batches (0 broadcasts one A or B, or sums every batch into
  ;; one C). With accumulate ≠ 0 the products are added to C's values instead of replacing them. n must be a multiple
  ;; of 4.
  ;; Register-blocked: a block of 4 rows × 8 columns of C stays in 8 registers while k runs, so each step loads 4
  ;; splatted A values and 2 vectors of B for 8 multiply-adds; the last 4 columns of a block (n mod 8 = 4) go 4 at a
  ;; time, and the rows left over (m mod 4) in a block of 2, then 1.
  ;; f32x4.relaxed_madd is one fused multiply-add where the runtime has relaxed SIMD; build-simd.mjs also assembles a
  ;; plain-SIMD copy in which each is a multiply then an add.
  (func (export "matmul")
    (param $a i32) (param $b i32) (param $c i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (param $aBatch i32) (param $bBatch i32) (param $aRow i32) (param $aCol i32) (param $cBatch i32) (param $accumulate i32)
    (local $t i32) (local $i i32) (local $j i32) (local $p i32) (local $n8 i32)
    (local $rowA i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $bStride i32) (local $cStride i32)
    (local $aRow1 i32) (local $aRow2 i32) (local $aRow3 i32) (local $cRow1 i32) (local $cRow2 i32) (local $cRow3 i32)
    (local $av v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $bStride (i32.shl (local.get $n) (i32.const 2)))
    (local.set $cStride (local.get $bStride))
    (local.set $aRow1 (local.get $aRow))
    (local.set $aRow2 (i32.shl (local.get $aRow) (i32.const 1)))
    (local.set $aRow3 (i32.add (local.get $aRow2) (local.get $aRow)))
    (local.set $cRow1 (local.get $cStride))
    (local.set $cRow2 (i32.shl (local.get $cStride) (i32.const 1)))
    (local.set $cRow3 (i32.add (local.get $cRow2) (local.get $cStride)))
    (local.set $n8 (i32.and (local.get $n) (i32.const -8)))
    (local.set $t (i32.const 0))
    (block $doneT (loop $loopT
      (br_if $doneT (i32.ge_u (local.get $t) (local.get $batch)))
      (local.set $i (i32.const 0))
      (local.set $rowA (local.get $a))
      ;; Blocks of 4 rows.
      (block $doneI (loop $loopI
        (br_if $doneI (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $doneJ4 (loop $loopJ4
          (br_if $doneJ4 (i32.ge_u (local.get $j) (local.get $n8)))
          (local.set $pc (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $cStride)) (i32.shl (local.get $j) (i32.const 2)))))
          (if (local.get $accumulate)
            (then
              (local.set $c00 (v128.load (local.get $pc)))
              (local.set $c01 (v128.load offset=16 (local.get $pc)))
              (local.set $c10 (v128.load (i32.add (local.get $pc) (local.get $cRow1))))
              (local.set $c11 (v128.load offset=16 (i32.add (local.get $pc) (local.get $cRow1))))
              (local.set $c20 (v128.load (i32.add (local.get $pc) (local.get $cRow2))))
              (local.set $c21 (v128.load offset=16 (i32.add (local.get $pc) (local.get $cRow2))))
              (local.set $c30 (v128.load (i32.add (local.get $pc) (local.get $cRow3))))
              (local.set $c31 (v128.load offset=16 (i32.add (local.get $pc) (local.get $cRow3))))
              )
            (else
              (local.set $c00 (v128.const i32x4 0 0 0 0))
              (local.set $c01 (v128.const i32x4 0 0 0 0))
              (local.set $c10 (v128.const i32x4 0 0 0 0))
              (local.set $c11 (v128.const i32x4 0 0 0 0))
              (local.set $c20 (v128.const i32x4 0 0 0 0))
              (local.set $c21 (v128.const i32x4 0 0 0 0))
              (local.set $c30 (v128.const i32x4 0 0 0 0))
              (local.set $c31 (v128.const i32x4 0 0 0 0))
              ))
          (local.set $pa (local.get $rowA))
          (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $p (local.get $k))
          (block $doneP4x8 (loop $loopP4x8
            (br_if $doneP4x8 (i32.eqz (local.get $p)))
            (local.set $b0 (v128.load (local.get $pb)))
            (local.set $b1 (v128.load offset=16 (local.get $pb)))
            (local.set $av (v128.load32_splat (local.get $pa)))
            (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
            (local.set $c01 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c01)))
            (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow1))))
            (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
            (local.set $c11 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c11)))
            (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow2))))
            (local.set $c20 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c20)))
            (local.set $c21 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c21)))
            (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow3))))
            (local.set $c30 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c30)))
            (local.set $c31 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c31)))
            (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
            (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $loopP4x8)))
          (v128.store (local.get $pc) (local.get $c00))
          (v128.store offset=16 (local.get $pc) (local.get $c01))
          (v128.store (i32.add (local.get $pc) (local.get $cRow1)) (local.get $c10))
          (v128.store offset=16 (i32.add (local.get $pc) (local.get $cRow1)) (local.get $c11))
          (v128.store (i32.add (local.get $pc) (local.get $cRow2)) (local.get $c20))
          (v128.store offset=16 (i32.add (local.get $pc) (local.get $cRow2)) (local.get $c21))
          (v128.store (i32.add (local.get $pc) (local.get $cRow3)) (local.get $c30))
          (v128.store offset=16 (i32.add (local.get $pc) (local.get $cRow3)) (local.get $c31))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $loopJ4)))
        ;; n mod 8 = 4: the last 4 columns.
        (if (i32.lt_u (local.get $j) (local.get $n))
          (then
            (local.set $pc (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $cStride)) (i32.shl (local.get $j) (i32.const 2)))))
            (if (local.get $accumulate)
              (then
                (local.set $c00 (v128.load (local.get $pc)))
                (local.set $c10 (v128.load (i32.add (local.get $pc) (local.get $cRow1))))
                (local.set $c20 (v128.load (i32.add (local.get $pc) (local.get $cRow2))))
                (local.set $c30 (v128.load (i32.add (local.get $pc) (local.get $cRow3))))
                )
              (else
                (local.set $c00 (v128.const i32x4 0 0 0 0))
                (local.set $c10 (v128.const i32x4 0 0 0 0))
                (local.set $c20 (v128.const i32x4 0 0 0 0))
                (local.set $c30 (v128.const i32x4 0 0 0 0))
                ))
            (local.set $pa (local.get $rowA))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $doneP4x4 (loop $loopP4x4
              (br_if $doneP4x4 (i32.eqz (local.get $p)))
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $av (v128.load32_splat (local.get $pa)))
              (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
              (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow1))))
              (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
              (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow2))))
              (local.set $c20 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c20)))
              (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow3))))
              (local.set $c30 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c30)))
              (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
              (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br $loopP4x4)))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store (i32.add (local.get $pc) (local.get $cRow1)) (local.get $c10))
            (v128.store (i32.add (local.get $pc) (local.get $cRow2)) (local.get $c20))
            (v128.store (i32.add (local.get $pc) (local.get $cRow3)) (local.get $c30))
            ))
        (local.set $rowA (i32.add (local.get $rowA) (i32.shl (local.get $aRow) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $loopI)))
      ;; Two rows left over or three: a block of 2.
      (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $m))
        (then
          (local.set $j (i32.const 0))
          (block $doneJ2 (loop $loopJ2
            (br_if $doneJ2 (i32.ge_u (local.get $j) (local.get $n8)))
            (local.set $pc (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $cStride)) (i32.shl (local.get $j) (i32.const 2)))))
            (if (local.get $accumulate)
              (then
                (local.set $c00 (v128.load (local.get $pc)))
                (local.set $c01 (v128.load offset=16 (local.get $pc)))
                (local.set $c10 (v128.load (i32.add (local.get $pc) (local.get $cRow1))))
                (local.set $c11 (v128.load offset=16 (i32.add (local.get $pc) (local.get $cRow1))))
                )
              (else
                (local.set $c00 (v128.const i32x4 0 0 0 0))
                (local.set $c01 (v128.const i32x4 0 0 0 0))
                (local.set $c10 (v128.const i32x4 0 0 0 0))
                (local.set $c11 (v128.const i32x4 0 0 0 0))
                ))
            (local.set $pa (local.get $rowA))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $doneP2x8 (loop $loopP2x8
              (br_if $doneP2x8 (i32.eqz (local.get $p)))
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $av (v128.load32_splat (local.get $pa)))
              (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
              (local.set $c01 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c01)))
              (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow1))))
              (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
              (local.set $c11 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c11)))
              (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
              (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br $loopP2x8)))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (v128.store (i32.add (local.get $pc) (local.get $cRow1)) (local.get $c10))
            (v128.store offset=16 (i32.add (local.get $pc) (local.get $cRow1)) (local.get $c11))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $loopJ2)))
          ;; n mod 8 = 4: the last 4 columns.
          (if (i32.lt_u (local.get $j) (local.get $n))
            (then
              (local.set $pc (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $cStride)) (i32.shl (local.get $j) (i32.const 2)))))
              (if (local.get $accumulate)
                (then
                  (local.set $c00 (v128.load (local.get $pc)))
                  (local.set $c10 (v128.load (i32.add (local.get $pc) (local.get $cRow1))))
                  )
                (else
                  (local.set $c00 (v128.const i32x4 0 0 0 0))
                  (local.set $c10 (v128.const i32x4 0 0 0 0))
                  ))
              (local.set $pa (local.get $rowA))
              (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
              (local.set $p (local.get $k))
              (block $doneP2x4 (loop $loopP2x4
                (br_if $doneP2x4 (i32.eqz (local.get $p)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $av (v128.load32_splat (local.get $pa)))
                (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
                (local.set $av (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow1))))
                (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
                (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $loopP2x4)))
              (v128.store (local.get $pc) (local.get $c00))
              (v128.store (i32.add (local.get $pc) (local.get $cRow1)) (local.get $c10))
              ))
          (local.set $rowA (i32.add (local.get $rowA) (local.get $aRow2)))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))))
      ;; One row left over.
      (if (i32.lt_u (local.get $i) (local.get $m))
        (then
          (local.set $j (i32.const 0))
          (block $doneJ1 (loop $loopJ1
            (br_if $doneJ1 (i32.ge_u (local.get $j) (local.get $n8)))
            (local.set $pc (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $cStride)) (i32.shl (local.get $j) (i32.const 2)))))
            (if (local.get $accumulate)
              (then
                (local.set $c00 (v128.load (local.get $pc)))
                (local.set $c01 (v128.load offset=16 (local.get $pc)))
                )
              (else
                (local.set $c00 (v128.const i32x4 0 0 0 0))
                (local.set $c01 (v128.const i32x4 0 0 0 0))
                ))
            (local.set $pa (local.get $rowA))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $doneP1x8 (loop $loopP1x8
              (br_if $doneP1x8 (i32.eqz (local.get $p)))
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $av (v128.load32_splat (local.get $pa)))
              (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
              (local.set $c01 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c01)))
              (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
              (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br $loopP1x8)))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $loopJ1)))
          ;; n mod 8 = 4: the last 4 columns.
          (if (i32.lt_u (local.get $j) (local.get $n))
            (then
              (local.set $pc (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $cStride)) (i32.shl (local.get $j) (i32.const 2)))))
              (if (local.get $accumulate)
                (then
                  (local.set $c00 (v128.load (local.get $pc)))
                  )
                (else
                  (local.set $c00 (v128.const i32x4 0 0 0 0))
                  ))
              (local.set $pa (local.get $rowA))
              (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
              (local.set $p (local.get $k))
              (block $doneP1x4 (loop $loopP1x4
                (br_if $doneP1x4 (i32.eqz (local.get $p)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $av (v128.load32_splat (local.get $pa)))
                (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
                (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $loopP1x4)))
              (v128.store (local.get $pc) (local.get $c00))
              ))
          ))
      (local.set $a (i32.add (local.get $a) (local.get $aBatch)))
      (local.set $b (i32.add (local.get $b) (local.get $bBatch)))
      (local.set $c (i32.add (local.get $c) (local.get $cBatch)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $loopT)))
  )


  ;; out[j] = sum over i of x[i, j] for a rows×cols float32 matrix (cols a multiple of 4): the reduction over leading
  ;; axes of bias and LayerNorm gradients. Rows are read in order (memory order) and added into out, 4 columns per
  ;; SIMD step, so each column is summed from row 0 to the last, like tfjs-backend-wasm's own Sum.
  (func (export "sumRows") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $j i32) (local $i i32) (local $px i32) (local $po i32) (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $cols) (i32.const 2))))
    (local.set $po (local.get $out))
    (block $doneZ (loop $loopZ
      (br_if $doneZ (i32.ge_u (local.get $po) (local.get $end)))
      (v128.store (local.get $po) (v128.const i32x4 0 0 0 0))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br $loopZ)))
    (local.set $px (local.get $x))
    (local.set $i (local.get $rows))
    (block $doneI (loop $loopI
      (br_if $doneI (i32.eqz (local.get $i)))
      (local.set $po (local.get $out))
      (block $doneJ (loop $loopJ
        (br_if $doneJ (i32.ge_u (local.get $po) (local.get $end)))
        (v128.store (local.get $po) (f32x4.add (v128.load (local.get $po)) (v128.load (local.get $px))))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (local.set $px (i32.add (local.get $px) (i32.const 16)))
        (br $loopJ)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $loopI)))
  )

;; The gradient of relu for n float32 elements, as tfjs computes it (dy · step(x)): out[i] = dy[i] · s with s = 1
  ;; where x[i] > 0, 0 where not, and x[i] itself where it is NaN, so NaNs and ±0 come out as from tfjs' Multiply and
  ;; Step. Four elements per SIMD step, the rest one by one.
  (func (export "reluGrad") (param $dy i32) (param $x i32) (param $out i32) (param $n i32)
    (local $at i32) (local $end4 i32) (local $end i32) (local $xv v128) (local $xs f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $end) (i32.const -16)))
    (local.set $at (i32.const 0))
    (block $done4 (loop $loop4
      (br_if $done4 (i32.ge_u (local.get $at) (local.get $end4)))
      (local.set $xv (v128.load (i32.add (local.get $x) (local.get $at))))
      (v128.store (i32.add (local.get $out) (local.get $at))
        (f32x4.mul
          (v128.load (i32.add (local.get $dy) (local.get $at)))
          (v128.bitselect
            (local.get $xv)
            (v128.and (f32x4.gt (local.get $xv) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1))
            (f32x4.ne (local.get $xv) (local.get $xv)))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $loop4)))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $xs (f32.load (i32.add (local.get $x) (local.get $at))))
      (f32.store (i32.add (local.get $out) (local.get $at))
        (f32.mul
          (f32.load (i32.add (local.get $dy) (local.get $at)))
          (select (local.get $xs)
            (select (f32.const 1) (f32.const 0) (f32.gt (local.get $xs) (f32.const 0)))
            (f32.ne (local.get $xs) (local.get $xs)))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $loop)))
  )

    ;; One Adam update of n float32 elements, each operation in tfjs' AdamOptimizer order (IEEE float32, as its kernels):
  ;;   m' = m·b1 + g·c1;  v' = v·b2 + (g·g)·c2;  x' = ((m'/d1) / (sqrt(v'/d2) + eps))·step + x
  ;; with c = 1 − b, d = 1 − b^t and step = −learning rate. Four elements per SIMD step, the rest one by one.
  (func (export "adam")
    (param $x i32) (param $g i32) (param $m i32) (param $v i32) (param $ox i32) (param $om i32) (param $ov i32) (param $n i32)
    (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32) (param $d1 f32) (param $d2 f32) (param $eps f32) (param $step f32)
    (local $at i32) (local $end4 i32) (local $end i32)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $end) (i32.const -16)))
    (local.set $at (i32.const 0))
    (block $done4 (loop $loop4
      (br_if $done4 (i32.ge_u (local.get $at) (local.get $end4)))
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $at))))
      (local.set $mv (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $b1)))
        (f32x4.mul (local.get $gv) (f32x4.splat (local.get $c1)))))
      (local.set $vv (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (f32x4.splat (local.get $b2)))
        (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $c2)))))
      (v128.store (i32.add (local.get $om) (local.get $at)) (local.get $mv))
      (v128.store (i32.add (local.get $ov) (local.get $at)) (local.get $vv))
      (v128.store (i32.add (local.get $ox) (local.get $at))
        (f32x4.add
          (f32x4.mul
            (f32x4.div
              (f32x4.div (local.get $mv) (f32x4.splat (local.get $d1)))
              (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (f32x4.splat (local.get $d2)))) (f32x4.splat (local.get $eps))))
            (f32x4.splat (local.get $step)))
          (v128.load (i32.add (local.get $x) (local.get $at)))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $loop4)))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $at))))
      (local.set $ms (f32.add
        (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $b1))
        (f32.mul (local.get $gs) (local.get $c1))))
      (local.set $vs (f32.add
        (f32.mul (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $b2))
        (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $c2))))
      (f32.store (i32.add (local.get $om) (local.get $at)) (local.get $ms))
      (f32.store (i32.add (local.get $ov) (local.get $at)) (local.get $vs))
      (f32.store (i32.add (local.get $ox) (local.get $at))
        (f32.add
          (f32.mul
            (f32.div
              (f32.div (local.get $ms) (local.get $d1))
              (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $d2))) (local.get $eps)))
            (local.get $step))
          (f32.load (i32.add (local.get $x) (local.get $at)))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $loop)))
  )
)

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
  ;; Each output row is built 16 (then 4) columns at a time: one splatted A value times one row of B per step.
  (func (export "matmul")
    (param $a i32) (param $b i32) (param $c i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (param $aBatch i32) (param $bBatch i32) (param $aRow i32) (param $aCol i32) (param $cBatch i32) (param $accumulate i32)
    (local $cBase i32) (local $t i32) (local $i i32) (local $j i32) (local $p i32)
    (local $rowA i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $bStride i32) (local $n16 i32)
    (local $av v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $bStride (i32.shl (local.get $n) (i32.const 2)))
    (local.set $n16 (i32.and (local.get $n) (i32.const -16)))
    (local.set $cBase (local.get $c))
    (local.set $t (i32.const 0))
    (block $doneT (loop $loopT
      (br_if $doneT (i32.ge_u (local.get $t) (local.get $batch)))
      (local.set $pc (local.get $cBase))
      (local.set $i (i32.const 0))
      (local.set $rowA (local.get $a))
      (block $doneI (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $doneJ (loop $loopJ
          (br_if $doneJ (i32.ge_u (local.get $j) (local.get $n16)))
          (if (local.get $accumulate)
            (then
              (local.set $c0 (v128.load (local.get $pc)))
              (local.set $c1 (v128.load offset=16 (local.get $pc)))
              (local.set $c2 (v128.load offset=32 (local.get $pc)))
              (local.set $c3 (v128.load offset=48 (local.get $pc))))
            (else
              (local.set $c0 (v128.const i32x4 0 0 0 0))
              (local.set $c1 (v128.const i32x4 0 0 0 0))
              (local.set $c2 (v128.const i32x4 0 0 0 0))
              (local.set $c3 (v128.const i32x4 0 0 0 0))))
          (local.set $pa (local.get $rowA))
          (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $p (local.get $k))
          (block $doneP (loop $loopP
            (br_if $doneP (i32.eqz (local.get $p)))
            (local.set $av (f32x4.splat (f32.load (local.get $pa))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $av) (v128.load (local.get $pb)))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $av) (v128.load offset=16 (local.get $pb)))))
            (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $av) (v128.load offset=32 (local.get $pb)))))
            (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $av) (v128.load offset=48 (local.get $pb)))))
            (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
            (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $loopP)))
          (v128.store (local.get $pc) (local.get $c0))
          (v128.store offset=16 (local.get $pc) (local.get $c1))
          (v128.store offset=32 (local.get $pc) (local.get $c2))
          (v128.store offset=48 (local.get $pc) (local.get $c3))
          (local.set $pc (i32.add (local.get $pc) (i32.const 64)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $loopJ)))
        (block $doneJ4 (loop $loopJ4
          (br_if $doneJ4 (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $c0 (if (result v128) (local.get $accumulate) (then (v128.load (local.get $pc))) (else (v128.const i32x4 0 0 0 0))))
          (local.set $pa (local.get $rowA))
          (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $p (local.get $k))
          (block $doneP4 (loop $loopP4
            (br_if $doneP4 (i32.eqz (local.get $p)))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (f32x4.splat (f32.load (local.get $pa))) (v128.load (local.get $pb)))))
            (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
            (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $loopP4)))
          (v128.store (local.get $pc) (local.get $c0))
          (local.set $pc (i32.add (local.get $pc) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $loopJ4)))
        (local.set $rowA (i32.add (local.get $rowA) (local.get $aRow)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI)))
      (local.set $a (i32.add (local.get $a) (local.get $aBatch)))
      (local.set $b (i32.add (local.get $b) (local.get $bBatch)))
      (local.set $cBase (i32.add (local.get $cBase) (local.get $cBatch)))
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

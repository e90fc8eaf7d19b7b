package org.neuralmodules.bench.jmh;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 11, item 2: the all-edge gradient product {@code out (a x p) = A^T M} (A: n x a, M: n x p,
 * row-major, as {@code Gradients} computes dU = X0^T Lambda and dW = H^T Lambda) on the real shapes,
 * one thread, by each candidate:
 * <ul>
 *   <li>{@code engine}: the engine's kernel (a copy of {@code Gradients.outer}: four output rows per
 *       pass over M, every entry summed over samples in order);</li>
 *   <li>{@code engine4x4}: the same order of additions, four samples per pass as well (each out
 *       entry loaded and stored once per four samples): bitwise the engine's result;</li>
 *   <li>{@code netlib}: {@code dev.ludovic.netlib} dgemm, the implementation it picks
 *       ({@code JNIBLAS} over a system libblas.so.3, else {@code VectorBLAS} with
 *       {@code --add-modules jdk.incubator.vector}, else {@code Java11BLAS});</li>
 *   <li>{@code netlibJava}: its pure-Java implementation, what a user without a system BLAS gets;</li>
 *   <li>{@code ejml}: EJML 0.46.1 {@code CommonOps_DDRM.multTransA}.</li>
 * </ul>
 * Score: microseconds per product; GFLOP/s = 2 n a p / time. Run:
 * {@code java -cp <bench classes>:<bench cp> org.openjdk.jmh.Main ProductsBench -t 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class ProductsBench {

  /** n samples (mini-batch), then "a x p": W's gradient (p x p) or U's (d x p). */
  @Param({"32:100x100", "256:100x100", "32:1000x1000", "256:1000x1000", "32:5000x100", "256:5000x100"})
  public String shape;

  int n;
  int a;
  int p;
  double[] left;
  double[] m;
  double[] out;
  DMatrixRMaj eLeft;
  DMatrixRMaj eM;
  DMatrixRMaj eOut;
  BLAS nativeOrBest;
  BLAS javaBlas;

  @Setup(Level.Trial)
  public void setUp() {
    String[] s = shape.split("[:x]");
    n = Integer.parseInt(s[0]);
    a = Integer.parseInt(s[1]);
    p = Integer.parseInt(s[2]);
    Random r = new Random(1);
    left = new double[n * a];
    m = new double[n * p];
    out = new double[a * p];
    for (int i = 0; i < left.length; i++) {
      left[i] = r.nextGaussian();
    }
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextGaussian();
    }
    eLeft = DMatrixRMaj.wrap(n, a, left);
    eM = DMatrixRMaj.wrap(n, p, m);
    eOut = new DMatrixRMaj(a, p);
    nativeOrBest = BLAS.getInstance();
    javaBlas = JavaBLAS.getInstance();
    // the candidates must compute the same product: engine4x4 bit for bit, the others to rounding
    double[] ref = engine().clone();
    double[] blocked = engine4x4().clone();
    for (int i = 0; i < ref.length; i++) {
      if (Double.doubleToLongBits(ref[i]) != Double.doubleToLongBits(blocked[i])) {
        throw new IllegalStateException("engine4x4 differs from the engine at " + i);
      }
    }
    double dNet = maxDiff(ref, netlib());
    double dJava = maxDiff(ref, netlibJava());
    double dEjml = maxDiff(ref, ejml().data);
    if (Math.max(dNet, Math.max(dJava, dEjml)) > 1e-9 * n) {
      throw new IllegalStateException("a product differs from the engine's by more than rounding");
    }
    System.out.println("# netlib picks " + nativeOrBest.getClass().getSimpleName() + ", pure Java: "
        + javaBlas.getClass().getSimpleName() + "; max |difference| to the engine: netlib " + dNet + ", netlibJava "
        + dJava + ", ejml " + dEjml + ", engine4x4 0 (bitwise)");
  }

  private static double maxDiff(double[] x, double[] y) {
    double d = 0;
    for (int i = 0; i < x.length; i++) {
      d = Math.max(d, Math.abs(x[i] - y[i]));
    }
    return d;
  }

  @Benchmark
  public double[] engine() {
    java.util.Arrays.fill(out, 0.0);
    for (int row = 0; row < a; row += 4) {
      outer4(left, a, row, Math.min(4, a - row), m, p, 0, n, out, row * p);
    }
    return out;
  }

  @Benchmark
  public double[] engine4x4() {
    java.util.Arrays.fill(out, 0.0);
    for (int row = 0; row < a; row += 4) {
      if (a - row >= 4) {
        outer4x4(left, a, row, m, p, n, out, row * p);
      } else {
        outer4(left, a, row, a - row, m, p, 0, n, out, row * p);
      }
    }
    return out;
  }

  @Benchmark
  public double[] netlib() {
    // row-major out (a x p) is column-major out^T (p x a) = M^T (p x n) * A (n x a)
    nativeOrBest.dgemm("N", "T", p, a, n, 1.0, m, p, left, a, 0.0, out, p);
    return out;
  }

  @Benchmark
  public double[] netlibJava() {
    javaBlas.dgemm("N", "T", p, a, n, 1.0, m, p, left, a, 0.0, out, p);
    return out;
  }

  @Benchmark
  public DMatrixRMaj ejml() {
    CommonOps_DDRM.multTransA(eLeft, eM, eOut);
    return eOut;
  }

  /**
   * Copy of the engine's {@code Gradients.outer} (private there, and the engine is frozen for the
   * paper tables) without the final 1/n scaling, over samples [s0, n).
   */
  static void outer4(double[] x, int aw, int col, int rows, double[] mm, int p, int s0, int n, double[] o, int oo) {
    if (rows == 4) {
      int o1 = oo + p;
      int o2 = oo + 2 * p;
      int o3 = oo + 3 * p;
      for (int s = s0; s < n; s++) {
        int ao = s * aw + col;
        double v0 = x[ao];
        double v1 = x[ao + 1];
        double v2 = x[ao + 2];
        double v3 = x[ao + 3];
        int mo = s * p;
        for (int k = 0; k < p; k++) {
          double mk = mm[mo + k];
          o[oo + k] += v0 * mk;
          o[o1 + k] += v1 * mk;
          o[o2 + k] += v2 * mk;
          o[o3 + k] += v3 * mk;
        }
      }
    } else {
      for (int r = 0; r < rows; r++) {
        int orow = oo + r * p;
        for (int s = s0; s < n; s++) {
          double v = x[s * aw + col + r];
          int mo = s * p;
          for (int k = 0; k < p; k++) {
            o[orow + k] += v * mm[mo + k];
          }
        }
      }
    }
  }

  /**
   * Four output rows and four samples per pass: {@code o = (((o + v_s m_s) + v_s+1 m_s+1) + ...)},
   * the engine's order of additions (Java does not contract or reassociate), so the same bits.
   */
  static void outer4x4(double[] x, int aw, int col, double[] mm, int p, int n, double[] o, int oo) {
    int o1 = oo + p;
    int o2 = oo + 2 * p;
    int o3 = oo + 3 * p;
    int s = 0;
    for (; s + 4 <= n; s += 4) {
      int a0 = s * aw + col;
      int a1 = a0 + aw;
      int a2 = a1 + aw;
      int a3 = a2 + aw;
      double v00 = x[a0], v01 = x[a0 + 1], v02 = x[a0 + 2], v03 = x[a0 + 3];
      double v10 = x[a1], v11 = x[a1 + 1], v12 = x[a1 + 2], v13 = x[a1 + 3];
      double v20 = x[a2], v21 = x[a2 + 1], v22 = x[a2 + 2], v23 = x[a2 + 3];
      double v30 = x[a3], v31 = x[a3 + 1], v32 = x[a3 + 2], v33 = x[a3 + 3];
      int m0 = s * p;
      int m1 = m0 + p;
      int m2 = m1 + p;
      int m3 = m2 + p;
      for (int k = 0; k < p; k++) {
        double k0 = mm[m0 + k];
        double k1 = mm[m1 + k];
        double k2 = mm[m2 + k];
        double k3 = mm[m3 + k];
        o[oo + k] = o[oo + k] + v00 * k0 + v10 * k1 + v20 * k2 + v30 * k3;
        o[o1 + k] = o[o1 + k] + v01 * k0 + v11 * k1 + v21 * k2 + v31 * k3;
        o[o2 + k] = o[o2 + k] + v02 * k0 + v12 * k1 + v22 * k2 + v32 * k3;
        o[o3 + k] = o[o3 + k] + v03 * k0 + v13 * k1 + v23 * k2 + v33 * k3;
      }
    }
    outer4(x, aw, col, 4, mm, p, s, n, o, oo); // the samples left over, one at a time
  }
}

import java.awt.Component;
import java.awt.Container;
import java.awt.Graphics2D;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JFrame;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import javax.swing.JProgressBar;
import javax.swing.JRadioButton;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.MenuElement;
import javax.swing.MenuSelectionManager;
import javax.swing.SwingUtilities;
import weka.classifiers.AbstractClassifier;
import weka.classifiers.Classifier;
import weka.core.Instances;
import weka.core.PluginManager;
import weka.core.Utils;
import weka.core.WekaPackageManager;
import weka.core.converters.ConverterUtils.DataSource;
import weka.gui.GenericObjectEditor;
import weka.gui.PropertySheetPanel;
import weka.gui.explorer.ClassifierPanel;
import weka.gui.explorer.Explorer;
import weka.gui.graphvisualizer.GraphVisualizer;

/**
 * Explorer GUI test of the installed neuralModules package (run by weka-package/gui-test.sh under
 * Xvfb, as a single-file Java program so that the classifier can only come from the package in
 * WEKA_HOME, never from this file's classpath).
 *
 * <pre>java -cp WEKA_CLASSPATH ExplorerGuiTest.java data.arff out-dir "-H 24"</pre>
 *
 * Drives the Explorer the way a user does: the chooser must list NeuralModules; the data goes
 * into the Preprocess panel; the Classify panel gets NeuralModules with the given options and a
 * 66% split; Start is pressed; the run must finish with "Correctly Classified Instances" in the
 * output. Then the result list's pop-up menu must offer an enabled "Visualize graph", which must
 * open the graph window and finish its layout, and the drawing must fit 1400 x 900. With
 * -Dnm.graph.arff (codon), NeuralModules at its defaults is trained on that file and its graph opened
 * through the Explorer's own graph-window code; that drawing must fit 1400 x 900 too, with the
 * single nodes in one variable. Screenshots (painted from the components): explorer-result.png,
 * options.png, progress-window.png, graph-window.png, graph-full.png, graph-codon.png. Exit status 0 only if every
 * step passed; a watchdog ends a hung run with status 3.
 */
public class ExplorerGuiTest {
  static final String CLASSIFIER = "weka.classifiers.functions.NeuralModules";

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      fail("usage: ExplorerGuiTest <arff> <screenshot-dir> <classifier options>");
    }
    File arff = new File(args[0]);
    File out = new File(args[1]);
    String[] options = Utils.splitOptions(args[2]);
    long timeoutMs = Long.getLong("gui.timeout.seconds", 100) * 1000;
    deadline = System.currentTimeMillis() + timeoutMs - 5000;
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(timeoutMs);
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("gui-test: FAIL: no result after " + timeoutMs / 1000 + " s");
      Runtime.getRuntime().halt(3);
    }, "watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    out.mkdirs();

    // as weka.gui.explorer.Explorer.main does: load packages, then the chooser's class lists
    WekaPackageManager.loadPackages(false, true, false);
    GenericObjectEditor.determineClasses();
    List<String> classifiers = PluginManager.getPluginNamesOfTypeList("weka.classifiers.Classifier");
    if (!classifiers.contains(CLASSIFIER)) {
      fail("the Explorer's classifier chooser does not list " + CLASSIFIER + " (package not loaded?)");
    }
    log("chooser lists " + CLASSIFIER);
    Classifier classifier = AbstractClassifier.forName(CLASSIFIER, options.clone());
    if (classifier.getClass().getClassLoader() == ClassLoader.getSystemClassLoader()) {
      fail(CLASSIFIER + " came from the classpath, not from the installed package");
    }

    Instances data = DataSource.read(arff.getPath());
    data.setClassIndex(data.numAttributes() - 1);

    AtomicReference<Explorer> ex = new AtomicReference<>();
    AtomicReference<JFrame> frame = new AtomicReference<>();
    SwingUtilities.invokeAndWait(() -> {
      Explorer e = new Explorer();
      JFrame f = new JFrame("Weka Explorer");
      f.getContentPane().add(e);
      f.setSize(1100, 820);
      f.setVisible(true);
      ex.set(e);
      frame.set(f);
    });
    Explorer explorer = ex.get();
    SwingUtilities.invokeAndWait(() -> explorer.getPreprocessPanel().setInstances(data));
    ClassifierPanel cp = null;
    for (Object p : explorer.getPanels()) {
      if (p instanceof ClassifierPanel c) {
        cp = c;
      }
    }
    if (cp == null) {
      fail("the Explorer has no Classify panel");
    }
    final ClassifierPanel panel = cp;
    waitFor("the Classify panel to receive the data", () -> panel.getInstances() != null);

    GenericObjectEditor editor = field(panel, "m_ClassifierEditor", GenericObjectEditor.class);
    JTextArea output = field(panel, "m_OutText", JTextArea.class);
    SwingUtilities.invokeAndWait(() -> {
      explorer.getTabbedPane().setSelectedComponent(panel);
      editor.setValue(classifier);
      field(panel, "m_PercentBut", JRadioButton.class).doClick();
    });
    log("training " + Utils.joinOptions(((weka.core.OptionHandler) classifier).getOptions()) + " on "
        + arff.getName() + " (66% split)");
    SwingUtilities.invokeAndWait(() -> field(panel, "m_StartBut", JButton.class).doClick());
    waitFor("the run to start", () -> field(panel, "m_RunThread", Thread.class) != null
        || output.getText().contains("Correctly Classified Instances"));
    waitFor("the run to finish", () -> field(panel, "m_RunThread", Thread.class) == null);
    String text = onEdt(output::getText);
    if (!text.contains("Correctly Classified Instances")) {
      System.err.println(text);
      fail("the run ended without 'Correctly Classified Instances' in the classifier output");
    }
    if (!text.contains("Neural Modules") || !text.contains("Modules:")) {
      fail("the classifier output lacks the Neural Modules model summary");
    }
    log("run finished: " + line(text, "Correctly Classified Instances"));
    // what the screenshot shows that docs must match: the options (defaults included) and the accuracy
    java.nio.file.Files.writeString(new File(out, "explorer-result.txt").toPath(),
        line(text, "Scheme:").trim() + "\n" + line(text, "Correctly Classified Instances").trim() + "\n");
    Thread.sleep(500);
    // scroll so that the model summary ("Modules: ...") starts near the top of the output
    SwingUtilities.invokeAndWait(() -> {
      try {
        int at = Math.max(0, output.getText().indexOf("Active edges:"));
        java.awt.Rectangle r = output.modelToView2D(at).getBounds();
        java.awt.Rectangle visible = output.getVisibleRect();
        output.scrollRectToVisible(new java.awt.Rectangle(0, r.y, 1, visible.height));
      } catch (javax.swing.text.BadLocationException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(500);
    shoot(frame.get().getContentPane(), new File(out, "explorer-result.png"));

    // the options as the GenericObjectEditor shows them
    AtomicReference<JFrame> opts = new AtomicReference<>();
    SwingUtilities.invokeAndWait(() -> {
      PropertySheetPanel sheet = new PropertySheetPanel();
      sheet.setTarget(classifier);
      JFrame f = new JFrame("weka.gui.GenericObjectEditor");
      f.getContentPane().add(sheet);
      f.setSize(560, 700);
      f.setLocation(1120, 0);
      f.setVisible(true);
      opts.set(f);
    });
    Thread.sleep(500);
    shoot(opts.get().getContentPane(), new File(out, "options.png"));

    // result list -> pop-up menu -> "Visualize graph"
    Object history = field(panel, "m_History", Object.class);
    javax.swing.JList<?> list = (javax.swing.JList<?>) history.getClass().getMethod("getList").invoke(history);
    String name = onEdt(() -> String.valueOf(list.getModel().getElementAt(0)));
    Method visualize = ClassifierPanel.class.getDeclaredMethod("visualize", List.class, int.class, int.class);
    visualize.setAccessible(true);
    SwingUtilities.invokeAndWait(() -> {
      try {
        visualize.invoke(panel, List.of(name), 10, 10);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    });
    JMenuItem item = onEdt(() -> findMenuItem("Visualize graph"));
    if (item == null) {
      fail("the result list menu has no 'Visualize graph' item (graphType is not BayesNet?)");
    }
    if (!item.isEnabled()) {
      fail("'Visualize graph' is disabled: graph() failed or returned null");
    }
    SwingUtilities.invokeAndWait(() -> {
      item.doClick();
      MenuSelectionManager.defaultManager().clearSelectedPath();
    });
    waitFor("the graph window", () -> graphWindow() != null);
    JFrame gw = graphWindow();
    GraphVisualizer gv = find(gw.getContentPane(), GraphVisualizer.class);
    if (gv == null) {
      fail("the graph window has no GraphVisualizer");
    }
    Object engine = field(gv, "m_le", Object.class);
    JProgressBar progress = field(engine, "m_progress", JProgressBar.class);
    waitFor("the graph layout", () -> field(engine, "nodeLevels", int[][].class) != null
        && !progress.isBorderPainted());
    int nodes = field(gv, "m_nodes", List.class).size();
    log("graph window laid out (" + nodes + " nodes incl. layout dummies)");
    Thread.sleep(1000);
    shoot(gw.getContentPane(), new File(out, "graph-window.png"));
    // the whole drawing, not only the part the window shows
    JScrollPane scroll = find(gw.getContentPane(), JScrollPane.class);
    if (scroll != null) {
      Component view = scroll.getViewport().getView();
      SwingUtilities.invokeAndWait(() -> view.setSize(view.getPreferredSize()));
      shoot(view, new File(out, "graph-full.png"));
    }
    checkDrawingFits(gv, "the first-look graph");

    // codon at the default options: the graph the Explorer shows must fit a 1400 x 900 window
    String graphArff = System.getProperty("nm.graph.arff", "");
    if (!graphArff.isEmpty()) {
      codonGraph(panel, gw, new File(graphArff), out);
    }

    // the ready Experimenter experiment opens with the installed package (Setup panel, as File > Open)
    String expFile = System.getProperty("nm.experiment", "");
    if (!expFile.isEmpty()) {
      weka.experiment.Experiment exp = weka.experiment.Experiment.read(expFile);
      Object[] schemes = (Object[]) exp.getPropertyArray();
      String names = "";
      for (Object o : schemes) {
        names += o.getClass().getName() + " ";
      }
      if (schemes.length != 2 || !names.contains(CLASSIFIER) || !names.contains("MultilayerPerceptron")) {
        fail(expFile + " does not compare NeuralModules with MultilayerPerceptron: " + names);
      }
      AtomicReference<JFrame> ef = new AtomicReference<>();
      SwingUtilities.invokeAndWait(() -> {
        weka.gui.experiment.SimpleSetupPanel setup = new weka.gui.experiment.SimpleSetupPanel();
        if (!setup.setExperiment(exp)) {
          fail("the Experimenter's Setup panel refused " + expFile);
        }
        JFrame f = new JFrame("Weka Experiment Environment");
        f.getContentPane().add(setup);
        f.setSize(1000, 720);
        f.setVisible(true);
        ef.set(f);
      });
      Thread.sleep(800);
      shoot(ef.get().getContentPane(), new File(out, "experimenter-setup.png"));
      log("Experimenter setup panel opened " + expFile + " (" + names.trim() + ")");
    }
    progressRun(panel, editor, output, out);
    log("PASS: Explorer trained NeuralModules from the installed package, showed the result and the module graph");
    System.exit(0);
  }

  /**
   * A long run with -progress: the progress window opens and updates, the Explorer's status bar
   * shows the epoch line (LogHandler), Stop ends training early with the reason in the output, and
   * the window closes. Screenshot: progress-window.png.
   */
  static void progressRun(ClassifierPanel panel, GenericObjectEditor editor, JTextArea output, File out)
      throws Exception {
    Classifier nm = AbstractClassifier.forName(CLASSIFIER,
        Utils.splitOptions("-H 24 -N 5000 -E 5000 -steps 0 -V 0 -progress"));
    SwingUtilities.invokeAndWait(() -> {
      editor.setValue(nm);
      field(panel, "m_StartBut", JButton.class).doClick();
    });
    waitFor("the progress window", () -> progressWindow() != null);
    JFrame pw = progressWindow();
    JLabel statusBar = field(field(panel, "m_Log", Object.class), "m_StatusLab", JLabel.class);
    waitFor("epoch 5 in the Explorer's status bar", () -> {
      String st = statusBar.getText(); // checks already run on the event thread
      return st.startsWith("NeuralModules epoch ") && Integer.parseInt(st.split(" ")[2]) >= 5;
    });
    log("status bar: " + onEdt(statusBar::getText));
    Thread.sleep(500);
    shoot(pw.getContentPane(), new File(out, "progress-window.png"));
    JButton stop = find(pw.getContentPane(), JButton.class);
    if (stop == null || !stop.getText().startsWith("Stop")) {
      fail("the progress window has no Stop button");
    }
    SwingUtilities.invokeAndWait(stop::doClick);
    // the Explorer trains again for the percentage split: stop every window that opens
    waitFor("the stopped run to finish", () -> {
      JFrame next = progressWindow();
      JButton b = next == null ? null : find(next.getContentPane(), JButton.class);
      if (b != null && b.isEnabled()) {
        b.doClick();
      }
      return field(panel, "m_RunThread", Thread.class) == null;
    });
    String text = onEdt(output::getText);
    if (!text.contains("Stopped by: stopped in the progress window")) {
      fail("Stop did not end training with its reason in the output");
    }
    waitFor("the progress window to close", () -> progressWindow() == null);
    log("progress window: updated, stopped training early (" + line(text, "Training:").trim() + "), closed");
  }

  static JFrame progressWindow() {
    for (java.awt.Frame f : java.awt.Frame.getFrames()) {
      if (f instanceof JFrame jf && f.isDisplayable() && f.getTitle().startsWith("NeuralModules: ")) {
        return jf;
      }
    }
    return null;
  }

  /**
   * Trains the installed NeuralModules at its defaults on {@code arff}, opens its graph through the
   * Explorer's own ClassifierPanel.visualizeBayesNet (what "Visualize graph" calls), and checks
   * the drawing: within 1400 x 900, every XMLBIF variable drawn, the single nodes in one
   * "<n> singles" variable, module 1's header present. Screenshot: graph-codon.png.
   */
  static void codonGraph(ClassifierPanel panel, JFrame firstGraph, File arff, File out) throws Exception {
    Instances data = DataSource.read(arff.getPath());
    data.setClassIndex(data.numAttributes() - 1);
    Classifier c = AbstractClassifier.forName(CLASSIFIER, new String[0]);
    c.buildClassifier(data);
    String xml = ((weka.core.Drawable) c).graph();
    String summary = c.toString();
    String singles = line(summary, "Modules:").replaceAll(".*singletons: (\\d+).*", "$1");
    SwingUtilities.invokeAndWait(firstGraph::dispose);
    waitFor("the first graph window to close", () -> graphWindow() == null);
    Method vb = ClassifierPanel.class.getDeclaredMethod("visualizeBayesNet", String.class, String.class);
    vb.setAccessible(true);
    SwingUtilities.invokeAndWait(() -> {
      try {
        vb.invoke(panel, xml, "NeuralModules at defaults on " + arff.getName());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    });
    waitFor("the codon graph window", () -> graphWindow() != null);
    JFrame gw = graphWindow();
    GraphVisualizer gv = find(gw.getContentPane(), GraphVisualizer.class);
    Object engine = field(gv, "m_le", Object.class);
    JProgressBar progress = field(engine, "m_progress", JProgressBar.class);
    waitFor("the codon graph layout", () -> field(engine, "nodeLevels", int[][].class) != null
        && !progress.isBorderPainted());
    java.awt.Dimension d = checkDrawingFits(gv, "the codon graph at defaults");
    List<?> nodes = field(gv, "m_nodes", List.class);
    int drawn = 0;
    boolean singlesShown = false;
    boolean header = false;
    for (Object o : nodes) {
      weka.gui.graphvisualizer.GraphNode n = (weka.gui.graphvisualizer.GraphNode) o;
      if (n.nodeType == weka.gui.graphvisualizer.GraphConstants.NORMAL) {
        drawn++;
        singlesShown |= n.ID.equals(singles + " singles");
        header |= n.ID.startsWith("M1 ");
      }
    }
    int variables = xml.split("<VARIABLE ", -1).length - 1;
    if (drawn != variables) {
      fail("the graph window draws " + drawn + " nodes, the XMLBIF has " + variables + " variables");
    }
    if (!singlesShown) {
      fail("no '" + singles + " singles' variable for the " + singles + " single-node modules of the model output");
    }
    if (!header) {
      fail("no header variable for module 1");
    }
    // show the whole drawing: the window sized to it (it fits the screen, as checked)
    SwingUtilities.invokeAndWait(() -> {
      gw.setSize(Math.min(d.width + 60, 1500), Math.min(d.height + 120, 1100));
      gw.validate();
    });
    Thread.sleep(1000);
    shoot(gw.getContentPane(), new File(out, "graph-codon.png"));
    log("codon graph at defaults: " + variables + " variables (" + singles + " single nodes in one), drawing "
        + d.width + " x " + d.height + " px");
  }

  /** The drawing of a laid-out GraphVisualizer must fit 1400 x 900 (and so the Xvfb screen). */
  static java.awt.Dimension checkDrawingFits(GraphVisualizer gv, String what) throws Exception {
    java.awt.Dimension d = onEdt(() -> field(gv, "m_gp", Component.class).getPreferredSize());
    if (d.width > 1400 || d.height > 900) {
      fail(what + " is drawn " + d.width + " x " + d.height + " px, larger than 1400 x 900");
    }
    log(what + ": drawing " + d.width + " x " + d.height + " px");
    return d;
  }

  static JFrame graphWindow() {
    for (Window w : Window.getWindows()) {
      if (w instanceof JFrame f && w.isShowing() && f.getTitle().startsWith("Weka Classifier Graph Visualizer")) {
        return f;
      }
    }
    return null;
  }

  static JMenuItem findMenuItem(String text) {
    for (MenuElement e : MenuSelectionManager.defaultManager().getSelectedPath()) {
      if (e instanceof JPopupMenu menu) {
        for (Component c : menu.getComponents()) {
          if (c instanceof JMenuItem mi && text.equals(mi.getText())) {
            return mi;
          }
        }
      }
    }
    return null;
  }

  static <T> T find(Container root, Class<T> type) {
    for (Component c : root.getComponents()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
      if (c instanceof Container k) {
        T t = find(k, type);
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  /** Paints a component into a PNG on the event thread (no window manager or Robot needed). */
  static void shoot(Component c, File file) throws Exception {
    AtomicReference<BufferedImage> img = new AtomicReference<>();
    SwingUtilities.invokeAndWait(() -> {
      int w = Math.max(1, Math.min(c.getWidth(), 6000));
      int h = Math.max(1, Math.min(c.getHeight(), 6000));
      BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = b.createGraphics();
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, w, h);
      c.paintAll(g);
      g.dispose();
      img.set(b);
    });
    if (!ImageIO.write(img.get(), "png", file)) {
      fail("could not write " + file);
    }
    log("screenshot " + file + " (" + img.get().getWidth() + "x" + img.get().getHeight() + ")");
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static long deadline = Long.MAX_VALUE;

  static void waitFor(String what, Check check) throws Exception {
    while (!onEdt(check::ok)) {
      if (System.currentTimeMillis() > deadline) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  interface Get<T> {
    T get() throws Exception;
  }

  static <T> T onEdt(Get<T> g) throws Exception {
    AtomicReference<T> r = new AtomicReference<>();
    AtomicReference<Exception> err = new AtomicReference<>();
    SwingUtilities.invokeAndWait(() -> {
      try {
        r.set(g.get());
      } catch (Exception e) {
        err.set(e);
      }
    });
    if (err.get() != null) {
      throw err.get();
    }
    return r.get();
  }

  /** A protected field of a Weka GUI class (the Explorer has no public API to drive a run). */
  static <T> T field(Object o, String name, Class<T> type) {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return type.cast(f.get(o));
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no field " + name + " in " + o.getClass().getName()
        + " (Weka version changed?)");
  }

  static String line(String text, String start) {
    for (String l : text.split("\n")) {
      if (l.startsWith(start)) {
        return l.trim();
      }
    }
    return "";
  }

  static void log(String s) {
    System.out.println("gui-test: " + s);
  }

  static void fail(String s) {
    System.err.println("gui-test: FAIL: " + s);
    System.exit(1);
  }
}

package weka.classifiers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.neuralmodules.config.NMConfig;
import weka.core.Option;
import weka.core.OptionMetadata;

/**
 * Issue 12, item 3: -h (listOptions) and the option dialog (OptionMetadata descriptions, and the
 * tooltips Weka cuts from them) state every option's default and range, and the README's option table gives the same defaults. The
 * defaults are read from a default NMConfig, so a default changed without the text fails here.
 */
class OptionDefaultsTest {
  /** Weka's own options (AbstractClassifier); their text is Weka's. */
  private static final Set<String> WEKA_OPTIONS =
      Set.of("output-debug-info", "do-not-check-capabilities", "num-decimal-places", "batch-size");

  /** Option name -> its value in a classifier with the default configuration. */
  private static Map<String, Object> defaults() throws Exception {
    NeuralModules nm = new NeuralModules();
    assertEquals(NMConfig.defaults(), nm.getConfig(), "a new classifier has the default NMConfig");
    Map<String, Object> out = new LinkedHashMap<>();
    for (Method m : NeuralModules.class.getMethods()) {
      OptionMetadata meta = m.getAnnotation(OptionMetadata.class);
      if (meta != null) {
        out.put(meta.commandLineParamName(), m.invoke(nm));
      }
    }
    assertTrue(out.size() >= 23, "annotated options found: " + out.keySet());
    return out;
  }

  /** How a default reads in the option text. */
  private static List<String> spellings(Object v) {
    if (v instanceof Enum<?> e) {
      return List.of(e.name());
    }
    if (v instanceof String s) {
      return List.of(s.isEmpty() ? "empty" : s);
    }
    if (v instanceof Boolean b) {
      return b ? List.of("true", "on") : List.of("false", "off");
    }
    return List.of(String.valueOf(v));
  }

  private static final Pattern NUMERIC_DEFAULT = Pattern.compile("default ([-+0-9.eE]+)");

  /** Null if {@code text} names default {@code v} and a range (or every enum value), else what is missing. */
  private static String statesDefaultAndRange(String text, Object v) {
    if (v instanceof Number num) {
      Matcher m = NUMERIC_DEFAULT.matcher(text);
      if (!m.find() || Double.parseDouble(m.group(1)) != num.doubleValue()) {
        return "does not say 'default " + v + "': " + text;
      }
    } else if (spellings(v).stream().noneMatch(s -> text.contains("default " + s))) {
      return "does not say 'default " + spellings(v).get(0) + "': " + text;
    }
    boolean range = v instanceof Enum<?> e
        ? java.util.Arrays.stream(e.getDeclaringClass().getEnumConstants()).allMatch(c -> text.contains(c.name()))
        : v instanceof Boolean || text.contains("range: ");
    return range ? null : "gives no range (or not every value): " + text;
  }

  @Test
  void everyOptionStatesItsDefaultAndRange() throws Exception {
    Map<String, Object> defaults = defaults();
    List<String> problems = new ArrayList<>();
    int ours = 0;
    for (Option o : Collections.list(new NeuralModules().listOptions())) {
      if (WEKA_OPTIONS.contains(o.name().replaceFirst("^-+", ""))) {
        continue;
      }
      if (!defaults.containsKey(o.name())) {
        problems.add("-" + o.name() + " is listed but has no @OptionMetadata getter");
        continue;
      }
      ours++;
      String problem = statesDefaultAndRange(o.description(), defaults.get(o.name()));
      if (problem != null) {
        problems.add("-" + o.name() + " " + problem);
      }
      assertFalse(o.synopsis().contains("<>"), "garbled synopsis " + o.synopsis());
    }
    assertEquals(defaults.size(), ours, "every annotated option is listed");
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /**
   * The option dialog (GenericObjectEditor's PropertySheetPanel) shows each description cut at its
   * first '.' as the tooltip: that part must still carry the default and the range.
   */
  @Test
  void optionDialogTooltipsStateDefaultAndRange() throws Exception {
    Map<String, Object> byDisplayName = new LinkedHashMap<>();
    NeuralModules nm = new NeuralModules();
    for (Method m : NeuralModules.class.getMethods()) {
      OptionMetadata meta = m.getAnnotation(OptionMetadata.class);
      if (meta != null) {
        byDisplayName.put(meta.displayName(), m.invoke(nm));
      }
    }
    weka.gui.PropertySheetPanel sheet = new weka.gui.PropertySheetPanel();
    sheet.setTarget(nm);
    Map<String, String> tips = new LinkedHashMap<>();
    collectTips(sheet, tips);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Object> e : byDisplayName.entrySet()) {
      String tip = tips.get(e.getKey());
      String problem = tip == null ? "has no tooltip" : statesDefaultAndRange(tip, e.getValue());
      if (problem != null) {
        problems.add("'" + e.getKey() + "' " + problem);
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  private static void collectTips(java.awt.Component c, Map<String, String> tips) {
    if (c instanceof javax.swing.JLabel l && l.getToolTipText() != null) {
      tips.put(l.getText(), l.getToolTipText());
    }
    if (c instanceof java.awt.Container k) {
      for (java.awt.Component child : k.getComponents()) {
        collectTips(child, tips);
      }
    }
  }

  @Test
  void gammaIsDescribedAsAFraction() {
    Option gamma = Collections.list(new NeuralModules().listOptions()).stream()
        .filter(o -> o.name().equals("gamma")).findFirst().orElseThrow();
    assertTrue(gamma.description().contains("Fraction of the allowed edges")
        && gamma.description().contains("0 = automatic") && !gamma.description().contains("k-th largest"),
        gamma.description());
  }

  @Test
  void readmeOptionTableGivesTheDefaults() throws Exception {
    Map<String, Object> defaults = defaults();
    Pattern row = Pattern.compile("^\\| (`-.*?) \\|.*\\| ([^|]+) \\|$");
    Pattern name = Pattern.compile("`-([A-Za-z-]+)");
    Map<String, String> table = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher m = row.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      List<String> names = new ArrayList<>();
      Matcher n = name.matcher(m.group(1));
      while (n.find()) {
        names.add(n.group(1));
      }
      String[] values = m.group(2).trim().split(" / ");
      assertEquals(names.size(), values.length, "one default per option in: " + line);
      for (int i = 0; i < names.size(); i++) {
        table.put(names.get(i), values[i].trim());
      }
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Object> e : defaults.entrySet()) {
      String cell = table.get(e.getKey());
      Object v = e.getValue();
      if (cell == null) {
        problems.add("-" + e.getKey() + " is missing from the README option table");
      } else if (v instanceof Number num) {
        if (Double.parseDouble(cell.replace(",", "")) != num.doubleValue()) {
          problems.add("-" + e.getKey() + ": README says " + cell + ", NMConfig " + v);
        }
      } else if (!spellings(v).contains(cell)) {
        problems.add("-" + e.getKey() + ": README says " + cell + ", NMConfig " + v);
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}

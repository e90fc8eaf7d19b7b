package org.neuralmodules.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Serializable class of the engine (and the Weka classifier) declares its serialVersionUID,
 * so that a compiler change or an added method never breaks loading of saved models.
 */
class SerialVersionTest {

  @Test
  void everySerializableClassDeclaresItsSerialVersionUid() throws Exception {
    Path root = Path.of("target/classes");
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("org/neuralmodules"))) {
      files.filter(f -> f.toString().endsWith(".class")).forEach(f -> names.add(root.relativize(f).toString()));
    }
    names.add("weka/classifiers/functions/NeuralModules.class");
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (String file : names) {
      Class<?> c = Class.forName(file.replace('/', '.').replaceAll("\\.class$", ""), false,
          getClass().getClassLoader());
      if (!Serializable.class.isAssignableFrom(c) || c.isInterface() || c.isEnum() || c.isSynthetic()
          || c.isAnonymousClass() || (c.getSuperclass() != null && c.getSuperclass().isEnum())) {
        continue; // enums are serialized by name; lambdas and enum constant bodies have no state
      }
      checked++;
      try {
        Field f = c.getDeclaredField("serialVersionUID");
        int m = f.getModifiers();
        if (!(Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == long.class)) {
          missing.add(c.getName() + " (not static final long)");
        }
      } catch (NoSuchFieldException e) {
        missing.add(c.getName());
      }
    }
    assertTrue(checked >= 10, "found only " + checked + " serializable classes");
    assertTrue(missing.isEmpty(), "Serializable classes without serialVersionUID: " + missing);
  }
}

package org.orleans4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources at test time, against this JVM's class path: two versions of the same
 * application classes (a record with a field more, a new grain type) for tests of silos of different
 * builds, side by side in one JVM (each in a class loader of its own) or in silo processes (each
 * version's directory first on the class path).
 */
public final class JavaSources {

    private JavaSources() {}

    /**
     * Compiles {@code sources} (fully qualified class name to source text) into {@code directory}.
     *
     * @return {@code directory}
     * @throws IllegalStateException if the sources do not compile, with the compiler's messages
     */
    public static Path compile(Path directory, Map<String, String> sources) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
        }
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new Source(name, text)));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try {
            Files.createDirectories(directory);
            try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
                List<String> options = List.of(
                        "-d",
                        directory.toString(),
                        "-classpath",
                        System.getProperty("java.class.path"),
                        "-proc:none",
                        "-parameters",
                        "-g");
                boolean compiled = compiler.getTask(null, files, diagnostics, options, null, units)
                        .call();
                if (!compiled) {
                    StringBuilder messages = new StringBuilder("sources did not compile:");
                    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                        messages.append('\n').append(d);
                    }
                    throw new IllegalStateException(messages.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory;
    }

    /** A class loader over {@code directory} whose parent is this class's loader: the directory's classes win. */
    public static URLClassLoader loader(Path directory) {
        try {
            return new ChildFirst(new URL[] {directory.toUri().toURL()}, JavaSources.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(directory.toString(), e);
        }
    }

    /** Loads the directory's own classes itself, even where the parent has a class of the same name. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null && findResource(name.replace('.', '/') + ".class") != null) {
                    loaded = findClass(name);
                }
                if (loaded == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}

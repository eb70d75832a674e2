package dev.chromatic.sim.physics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads Libbulletjme's native library once per JVM, from the natives jar on the class path
 * ({@code native/linux/x86_64/libbulletjme.so} or {@code native/linux/arm64/libbulletjme.so}):
 * the resource is copied to a temporary file and passed to {@link System#load}. Thread-safe.
 */
public final class BulletNatives {

    /** Held so the level setting is not lost when the logger is garbage-collected. */
    private static final Logger BULLET_LOGGER = Logger.getLogger("com.jme3");

    private static boolean loaded;

    private BulletNatives() {
    }

    /** Loads the library if it is not loaded yet; throws naming the missing resource otherwise. */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        String resource = resourcePath(System.getProperty("os.name"), System.getProperty("os.arch"));
        try (InputStream in = BulletNatives.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Bullet native library " + resource
                        + " is not on the class path (add the Libbulletjme DpRelease natives jar)");
            }
            Path tmp = Files.createTempFile("libbulletjme", ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            System.load(tmp.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract Bullet native library " + resource + ": " + e.getMessage(), e);
        }
        BULLET_LOGGER.setLevel(Level.WARNING);
        com.jme3.bullet.util.NativeLibrary.setStartupMessageEnabled(false);
        loaded = true;
    }

    /** The class-path location of the native library for an OS name and architecture. */
    static String resourcePath(String osName, String osArch) {
        String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("the simulator ships Bullet natives for Linux only, not " + osName);
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return "native/linux/x86_64/libbulletjme.so";
        }
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return "native/linux/arm64/libbulletjme.so";
        }
        throw new IllegalStateException("no Bullet natives for architecture " + osArch);
    }
}

package io.github.fer4j.model;

/** The fer4j version, from the jar manifest when there is one. */
public final class Version {
    private Version() {
    }

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}

package kz.qatysu.tool.proctoring.analysis;

import java.util.Arrays;

/** A face's identity descriptor: 128 numbers from the dlib ResNet; faces of one person lie close together. */
public record Descriptor(float[] values) {

    public Descriptor {
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** Euclidean distance (the descriptors are not zero-centred: cosine separates poorly). */
    public double distanceTo(Descriptor other) {
        if (other.values.length != values.length) {
            throw new IllegalArgumentException("descriptors of different models: " + values.length + " vs " + other.values.length);
        }
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            double d = values[i] - other.values[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Descriptor d && Arrays.equals(values, d.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Descriptor[" + values.length + " values]";
    }
}

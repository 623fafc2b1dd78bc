package kz.qatysu.tool.proctoring.attempts;

/** Where a monitoring snapshot comes from: the webcam (analysed for faces) or the shared screen (kept as evidence). */
public enum SnapshotSource { CAMERA, SCREEN }

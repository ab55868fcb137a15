/** Images this tool may run on a cluster (listed by --print-images for air-gapped mirrors). */
export const DEFAULT_INSPECTOR_IMAGE = 'docker.io/library/busybox:1.36.1';

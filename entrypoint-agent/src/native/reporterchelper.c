/*
 * The two JNI functions the native-image builder loads from
 * ${java.home}/lib/svm/builder/lib/libreporterchelper.so for its progress report
 * (com.oracle.svm.hosted.ProgressReporterCHelper). A GraalVM distribution ships this library; a
 * plain JDK with the builder jars from Maven Central does not, so make-native-object.sh compiles it.
 */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

JNIEXPORT jint JNICALL
Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env, jclass c) {
  struct winsize size;
  return ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 ? size.ws_col : 0;
}

/* Peak resident set size in bytes (Linux reports ru_maxrss in KiB). */
JNIEXPORT jlong JNICALL
Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass c) {
  struct rusage usage;
  return getrusage(RUSAGE_SELF, &usage) == 0 ? (jlong) usage.ru_maxrss * 1024 : -1;
}

# Sourced by the benchmarks: sample_project DIR PROPERTIES writes the IT sample (it/src/it/safe-synthesizer) with the
# repository's containers/ to DIR, with a pom that uses this checkout's plugin version, builds against the stand-in
# base images (it/stand-ins/make-stand-ins.sh) and has PROPERTIES (XML lines) in its <properties>. Needs $root.
sample_project() {
  cp -r "$root/it/src/it/safe-synthesizer" "$1"
  cp -r "$root/containers" "$1/containers"
  cp "$root/containers/.dockerignore" "$1/.dockerignore"
  version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)
  cat >"$1/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.nss.bench</groupId>
  <artifactId>safe-synthesizer</artifactId>
  <version>0.1.0</version>
  <packaging>pom</packaging>
  <properties>
$2
  </properties>
  <build>
    <plugins>
      <plugin>
        <groupId>dev.nss</groupId>
        <artifactId>nss-maven-plugin</artifactId>
        <version>$version</version>
        <configuration>
          <buildArgs>
            <CUDA_IMAGE_REPO>nss-it.local/cuda</CUDA_IMAGE_REPO>
            <UV_IMAGE>nss-it.local/uv</UV_IMAGE>
            <NSS_JDK_IMAGE>nss-it.local/jdk:25</NSS_JDK_IMAGE>
          </buildArgs>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
POM
}

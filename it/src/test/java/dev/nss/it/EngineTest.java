package dev.nss.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An engine-dependent case: runs once per engine of {@link Engine#selected()} (docker and podman
 * unless {@code NSS_IT_ENGINES} / {@code -Dnss.it.engines} narrow it), with the {@link Engine} as
 * its parameter. Select one engine's invocation with {@code -Dit.test='RunGpuIT#case03*'} plus
 * {@code -Dnss.it.engines=podman}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "[{0}]")
@MethodSource("dev.nss.it.Engine#selected")
public @interface EngineTest {}

package dev.nss.container;

/**
 * A checked push of a local image.
 *
 * @param image the local image, as built ({@code nss.image} or {@code nss.imageDev})
 */
public record PushSpec(String cli, String image, RegistryTarget destination) {}

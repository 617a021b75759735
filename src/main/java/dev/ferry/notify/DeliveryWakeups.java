package dev.ferry.notify;

/**
 * The channel where every replica announces committed notifications: the replica that wrote a
 * row wakes itself directly, the others hear it here, so no delivery waits for the fallback poll.
 */
final class DeliveryWakeups {

    static final String CHANNEL = "ferry_notify";

    private DeliveryWakeups() {}
}

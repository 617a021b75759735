package dev.ferry.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name (or literal address) into addresses; the system resolver in production. */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}

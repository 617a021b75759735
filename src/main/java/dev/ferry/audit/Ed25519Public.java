package dev.ferry.audit;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The public key of an Ed25519 private key (RFC 8032, 5.1.5): the JDK signs with a private key but
 * has no call that derives its public key, and {@code openssl genpkey} writes the private key
 * alone. Runs once at start-up, on a key that is never sent anywhere; signing itself is the JDK's.
 */
final class Ed25519Public {

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(P))
            .mod(P);
    private static final BigInteger BX =
            new BigInteger("15112221349535400772501151409588531511454012693041857206046113283949847762202");
    private static final BigInteger BY =
            new BigInteger("46316835694926478169428394003475163141307993866256225615783033603165251855960");

    private Ed25519Public() {}

    /** The 32-byte public key of the 32-byte private key {@code seed}. */
    static byte[] of(byte[] seed) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-512").digest(seed);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] scalar = Arrays.copyOf(h, 32);
        scalar[0] &= (byte) 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        BigInteger[] point = multiply(
                littleEndian(scalar),
                new BigInteger[] {BX, BY, BigInteger.ONE, BX.multiply(BY).mod(P)});
        BigInteger zInverse = point[2].modInverse(P);
        BigInteger x = point[0].multiply(zInverse).mod(P);
        BigInteger y = point[1].multiply(zInverse).mod(P);
        if (x.testBit(0)) {
            y = y.setBit(255);
        }
        byte[] encoded = new byte[32];
        byte[] big = y.toByteArray();
        for (int i = 0; i < 32 && i < big.length; i++) {
            encoded[i] = big[big.length - 1 - i];
        }
        return encoded;
    }

    /** Double and add, in extended coordinates (X, Y, Z, T). */
    private static BigInteger[] multiply(BigInteger scalar, BigInteger[] point) {
        BigInteger[] result = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        BigInteger[] addend = point;
        for (int i = 0; i < scalar.bitLength(); i++) {
            if (scalar.testBit(i)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        return result;
    }

    private static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
        BigInteger a = p[1].subtract(p[0]).multiply(q[1].subtract(q[0])).mod(P);
        BigInteger b = p[1].add(p[0]).multiply(q[1].add(q[0])).mod(P);
        BigInteger c = BigInteger.TWO.multiply(p[3]).multiply(q[3]).multiply(D).mod(P);
        BigInteger d = BigInteger.TWO.multiply(p[2]).multiply(q[2]).mod(P);
        BigInteger e = b.subtract(a);
        BigInteger f = d.subtract(c);
        BigInteger g = d.add(c);
        BigInteger hh = b.add(a);
        return new BigInteger[] {
            e.multiply(f).mod(P),
            g.multiply(hh).mod(P),
            f.multiply(g).mod(P),
            e.multiply(hh).mod(P)
        };
    }

    private static BigInteger littleEndian(byte[] bytes) {
        byte[] big = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            big[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, big);
    }
}

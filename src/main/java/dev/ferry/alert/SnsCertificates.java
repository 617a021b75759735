package dev.ferry.alert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SNS signing certificates by normalised URL, at most {@code capacity} of them (the least recently
 * used goes first), so a stream of messages naming ever new URLs costs a bounded amount of memory.
 * Callers check the URL first ({@link SnsUrls}); this class fetches whatever it is given.
 */
final class SnsCertificates {

    /** A PEM certificate is 2 kB or so; anything much bigger is not one. */
    private static final int MAX_BYTES = 16 * 1024;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final Map<URI, X509Certificate> cache;

    SnsCertificates(int capacity) {
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<URI, X509Certificate> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The certificate at {@code url}, fetched once while it stays in the cache. */
    X509Certificate get(URI url) {
        synchronized (cache) {
            X509Certificate known = cache.get(url);
            if (known != null) {
                return known;
            }
        }
        // Fetched outside the lock: one slow certificate host must not hold up every other delivery.
        X509Certificate fetched = fetch(url);
        synchronized (cache) {
            cache.put(url, fetched);
        }
        return fetched;
    }

    private X509Certificate fetch(URI url) {
        try {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] pem;
            try (InputStream in = response.body()) {
                pem = in.readNBytes(MAX_BYTES + 1);
            }
            if (response.statusCode() != 200 || pem.length > MAX_BYTES) {
                throw SnsRefusedException.signature("signing certificate cannot be fetched: HTTP "
                        + response.statusCode() + (pem.length > MAX_BYTES ? ", too large" : ""));
            }
            X509Certificate certificate = (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
            certificate.checkValidity();
            return certificate;
        } catch (IOException | GeneralSecurityException e) {
            throw SnsRefusedException.signature("signing certificate cannot be used: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SnsRefusedException.signature("interrupted while fetching the signing certificate");
        }
    }

    int size() {
        synchronized (cache) {
            return cache.size();
        }
    }
}

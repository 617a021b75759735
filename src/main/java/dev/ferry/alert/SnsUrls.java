package dev.ferry.alert;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which URLs in an SNS message Ferry will visit: the signing certificate and the SubscribeURL.
 * Only Amazon SNS itself, matched on the parsed host ({@code sns.<region>.amazonaws.com} or
 * {@code .com.cn}, https, the default port), so that a message cannot bring its own certificate
 * from an S3 bucket or any other host. URLs are compared in a normalised form, which also keys the
 * certificate cache.
 */
final class SnsUrls {

    private static final Pattern SNS_HOST =
            Pattern.compile("sns\\.[a-z]{2}(-[a-z]+)+-[0-9]+\\.amazonaws\\.com(\\.cn)?");

    private final Pattern testPattern;

    SnsUrls(String testPattern) {
        this.testPattern = testPattern == null || testPattern.isBlank() ? null : Pattern.compile(testPattern);
    }

    /** The normalised certificate URL; refuses anything but an SNS host's {@code .pem} without a query. */
    URI certificate(String text) {
        URI url = normalise(text, "SigningCertURL");
        if (url.getRawQuery() != null || !url.getPath().endsWith(".pem")) {
            throw SnsRefusedException.url("SigningCertURL must name a .pem file, without a query: " + text);
        }
        return url;
    }

    /** The normalised SubscribeURL; refuses anything but an SNS host's ConfirmSubscription action. */
    URI subscription(String text) {
        URI url = normalise(text, "SubscribeURL");
        if (url.getRawQuery() == null || !url.getRawQuery().contains("Action=ConfirmSubscription")) {
            throw SnsRefusedException.url("SubscribeURL is not a ConfirmSubscription call");
        }
        return url;
    }

    private URI normalise(String text, String field) {
        URI url;
        try {
            URI parsed = new URI(text).normalize();
            if (parsed.getScheme() == null
                    || parsed.getHost() == null
                    || parsed.getRawUserInfo() != null
                    || parsed.getRawFragment() != null) {
                throw SnsRefusedException.url(field + " is not an absolute URL of a host: " + text);
            }
            String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
            int port = parsed.getPort() == 443 && scheme.equals("https") ? -1 : parsed.getPort();
            url = new URI(
                    scheme,
                    null,
                    parsed.getHost().toLowerCase(Locale.ROOT),
                    port,
                    parsed.getPath(),
                    parsed.getQuery(),
                    null);
        } catch (URISyntaxException e) {
            throw SnsRefusedException.url(field + " is not a URL: " + text);
        }
        boolean sns = url.getScheme().equals("https")
                && url.getPort() == -1
                && SNS_HOST.matcher(url.getHost()).matches();
        if (!sns && (testPattern == null || !testPattern.matcher(url.toString()).matches())) {
            throw SnsRefusedException.url(
                    field + " is not an Amazon SNS URL (https://sns.<region>.amazonaws.com/...): " + text);
        }
        return url;
    }
}

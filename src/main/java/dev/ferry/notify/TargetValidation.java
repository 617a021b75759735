package dev.ferry.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns {@link TargetSpec}s into targets, or refuses them with every problem named. Changes nothing. */
final class TargetValidation {

    static final int MAX_JOB_TARGETS = 10;
    private static final int MIN_SECRET_LENGTH = 16;
    private static final Pattern TOPIC_ARN =
            Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");

    private TargetValidation() {}

    static List<NotificationTarget> validate(
            String where, String keyPrefix, List<TargetSpec> specs, List<String> keys) {
        List<String> errors = new ArrayList<>();
        List<NotificationTarget> targets = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            String at = where + "[" + i + "]";
            TargetSpec spec = specs.get(i);
            if (spec == null) {
                errors.add(at + ": must not be null");
                continue;
            }
            String key = keys == null ? keyPrefix + i : keys.get(i);
            target(at, key, spec, errors).ifPresent(targets::add);
        }
        if (!errors.isEmpty()) {
            throw new InvalidNotificationTargetException(errors);
        }
        return targets;
    }

    private static Optional<NotificationTarget> target(String at, String key, TargetSpec spec, List<String> errors) {
        int before = errors.size();
        TargetType type = type(at, spec.type(), errors);
        Set<NotificationKind> events = events(at, spec.events(), errors);
        URI url = null;
        if (type == TargetType.WEBHOOK || type == TargetType.SLACK) {
            url = url(at, spec.url(), errors);
            if (spec.topicArn() != null) {
                errors.add(at + ".topicArn: only for sns targets");
            }
        }
        if (type == TargetType.WEBHOOK
                && (spec.secret() == null || spec.secret().length() < MIN_SECRET_LENGTH)) {
            errors.add(at + ".secret: a webhook needs an HMAC secret of at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (type != TargetType.WEBHOOK && spec.secret() != null) {
            errors.add(at + ".secret: only webhooks are signed");
        }
        if (type == TargetType.SNS) {
            if (spec.topicArn() == null || !TOPIC_ARN.matcher(spec.topicArn()).matches()) {
                errors.add(at + ".topicArn: an SNS topic ARN is required (arn:aws:sns:<region>:<account>:<name>)");
            }
            if (spec.url() != null) {
                errors.add(at + ".url: sns targets take a topicArn, not a url");
            }
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new NotificationTarget(key, type, url, spec.topicArn(), spec.secret(), events));
    }

    private static TargetType type(String at, String type, List<String> errors) {
        try {
            return TargetType.valueOf(String.valueOf(type).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(at + ".type: must be webhook, slack or sns");
            return null;
        }
    }

    private static URI url(String at, String url, List<String> errors) {
        // The URL itself is never echoed: a Slack URL, or a token in a query, is a credential.
        try {
            URI uri = url == null ? null : new URI(url);
            if (uri != null
                    && uri.isAbsolute()
                    && uri.getHost() != null
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        errors.add(at + ".url: an absolute http(s) URL without user info is required");
        return null;
    }

    private static Set<NotificationKind> events(String at, List<String> codes, List<String> errors) {
        Set<NotificationKind> kinds = EnumSet.noneOf(NotificationKind.class);
        if (codes == null) {
            return kinds;
        }
        for (String code : codes) {
            Optional<NotificationKind> kind = NotificationKind.ofCode(String.valueOf(code));
            if (kind.isEmpty()) {
                errors.add(at + ".events: unknown kind " + code + " (known: approval.requested, job.paused, "
                        + "rollback.started, rollback.finished, job.finished, gate.breached)");
            }
            kind.ifPresent(kinds::add);
        }
        return kinds;
    }
}

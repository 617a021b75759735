{{- define "ferry.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ferry.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ferry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ferry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ferry.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "ferry.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "ferry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ferry.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "ferry.databaseSecret" -}}
{{- default (printf "%s-db" (include "ferry.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{/* The migration user's password: its own Secret, else the one holding the runtime user's. */}}
{{- define "ferry.migrationSecret" -}}
{{- default (include "ferry.databaseSecret" .) .Values.database.migration.existingSecret -}}
{{- end -}}

{{- define "ferry.secretKeySecret" -}}
{{- default (printf "%s-secret-key" (include "ferry.fullname" .)) .Values.auth.secretKey.existingSecret -}}
{{- end -}}

{{- define "ferry.tokensSecret" -}}
{{- default (printf "%s-tokens" (include "ferry.fullname" .)) .Values.auth.existingTokensSecret -}}
{{- end -}}

{{/* The Kubernetes API token in the pods: only where IRSA is used (auto), or as set. */}}
{{- define "ferry.automountToken" -}}
{{- $mount := .Values.serviceAccount.automountToken -}}
{{- if eq (toString $mount) "auto" -}}
{{- if .Values.serviceAccount.roleArn }}true{{ else }}false{{ end -}}
{{- else -}}
{{- $mount -}}
{{- end -}}
{{- end -}}

{{/* Values without which the chart must not render; every template that depends on them includes this first. */}}
{{- define "ferry.validate" -}}
{{- if not .Values.database.host }}
{{- fail "database.host is required: Ferry runs against an external PostgreSQL" }}
{{- end }}
{{- if not (or .Values.database.existingSecret .Values.database.password) }}
{{- fail "database.existingSecret (or database.password for a trial) is required" }}
{{- end }}
{{- with .Values.database.migration }}
{{- if .user }}
{{- if eq .user $.Values.database.user }}
{{- fail "database.migration.user must differ from database.user: the runtime user must not own the tables (it could disable the audit triggers)" }}
{{- end }}
{{- if not (or .existingSecret $.Values.database.existingSecret .password) }}
{{- fail "database.migration.user needs a password: database.migration.existingSecret, database.existingSecret (key database.migration.passwordKey) or database.migration.password for a trial" }}
{{- end }}
{{- end }}
{{- end }}
{{- if not (or .Values.auth.tokens .Values.auth.existingTokensSecret .Values.auth.jwt.issuerUri .Values.auth.jwt.jwkSetUri) }}
{{- fail "give auth.tokens, auth.existingTokensSecret or auth.jwt: nobody could call the API otherwise" }}
{{- end }}
{{- with .Values.auth.jwt }}
{{- if or .issuerUri .jwkSetUri }}
{{- if not (or .audiences .anyAudience) }}
{{- fail "auth.jwt.audiences is required with JWTs (the aud of tokens minted for Ferry), or set auth.jwt.anyAudience: true to accept a token minted for any application of your provider" }}
{{- end }}
{{- if not (or .rolePrefix .unprefixedRoles) }}
{{- fail "auth.jwt.rolePrefix is required with JWTs (e.g. ferry- for groups named ferry-operator), or set auth.jwt.unprefixedRoles: true to let any group named like a Ferry role (admin, approver...) grant it" }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

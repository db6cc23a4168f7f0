"""Staff accounts on django-allauth: sign-in by email address, password reset by email,
two-factor sign-in (authenticator apps, passkeys, recovery codes), re-authentication before
sensitive actions, and single sign-on through an identity provider when configured.
Star-imported by config.settings; see docs/staff-accounts.md and docs/single-sign-on.md."""

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_str

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.StaffAccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.StaffSocialAccountAdapter"
MFA_ADAPTER = "accounts.adapter.StaffMFAAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.StaffLoginForm",
    "reauthenticate": "accounts.forms.StaffReauthenticateForm",
}

# Staff sign in with their email address; accounts are made with `add_staff` or the admin,
# never by signing up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# Signed in until signing out (no "remember me" box), as before the move to allauth.
ACCOUNT_SESSION_REMEMBER = True
# A password reset asked for an unknown address says the same as for a known one and
# emails nobody (no mail to strangers, no hint of who has an account).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# A fresh sign-in counts for five minutes (the CSV export, changing someone's role).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300

# allauth's rate limits, kept in the shared default cache. Failed sign-ins are counted per
# address and per (account, address) pair (accounts.adapter puts the address in the key):
# guesses at one account from many addresses meet the per-address limits but never lock
# its owner out, and a program manager's password alone signs no one in (two factors).
# The same "login_failed" limits count wrong two-factor codes, per account.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/15m/ip,5/15m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}

MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# The code just before or after the current one is taken too (RFC 6238's one step), so a
# code typed as the app moves on to the next is not refused.
MFA_TOTP_TOLERANCE = 1
# "Sign in with a passkey": a passkey checks the person itself, so it is both factors.
MFA_PASSKEY_LOGIN_ENABLED = True
# Program managers always need a second factor (accounts.two_factor); reviewers when this is on.
MFA_REQUIRED_FOR_REVIEWERS = env_bool("MFA_REQUIRED_FOR_REVIEWERS", False)

# Single sign-on through the organization's identity provider: an existing staff account
# (same verified email address) signs in there; no account is made by it.
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS: dict = {}
SSO_PROVIDER_APPS: list[str] = []

_oidc_url = env_str("SSO_OIDC_SERVER_URL")
if _oidc_url:
    if not (env_str("SSO_OIDC_CLIENT_ID") and env_str("SSO_OIDC_CLIENT_SECRET")):
        raise ImproperlyConfigured(
            "SSO_OIDC_SERVER_URL is set: SSO_OIDC_CLIENT_ID and SSO_OIDC_CLIENT_SECRET are needed too."
        )
    SSO_PROVIDER_APPS.append("allauth.socialaccount.providers.openid_connect")
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env_str("SSO_OIDC_PROVIDER_ID", "organization"),
                "name": env_str("SSO_OIDC_NAME", "your organization's sign-in"),
                "client_id": env_str("SSO_OIDC_CLIENT_ID"),
                "secret": env_str("SSO_OIDC_CLIENT_SECRET"),
                "settings": {"server_url": _oidc_url},
            }
        ],
    }

# SAML: the IdP is read from its metadata address, or given directly (entity ID, sign-in
# address and signing certificate), so a test or an offline deployment fetches nothing.
_saml_metadata = env_str("SSO_SAML_METADATA_URL")
_saml_sso_url = env_str("SSO_SAML_SSO_URL")
_saml_cert = env_str("SSO_SAML_X509_CERT")
if _saml_metadata or _saml_sso_url or _saml_cert:
    if not env_str("SSO_SAML_ENTITY_ID"):
        raise ImproperlyConfigured(
            "SAML single sign-on is configured: SSO_SAML_ENTITY_ID is needed too."
        )
    if _saml_metadata:
        _saml_idp = {"entity_id": env_str("SSO_SAML_ENTITY_ID"), "metadata_url": _saml_metadata}
    elif not (_saml_sso_url and _saml_cert):
        raise ImproperlyConfigured(
            "SAML without SSO_SAML_METADATA_URL needs both SSO_SAML_SSO_URL and SSO_SAML_X509_CERT."
        )
    else:
        _saml_idp = {
            "entity_id": env_str("SSO_SAML_ENTITY_ID"),
            "sso_url": _saml_sso_url,
            # PEM, or its base64 body alone; python3-saml drops the header and line breaks.
            "x509cert": _saml_cert,
        }
        if env_str("SSO_SAML_SLO_URL"):
            _saml_idp["slo_url"] = env_str("SSO_SAML_SLO_URL")
    SSO_PROVIDER_APPS.append("allauth.socialaccount.providers.saml")
    SOCIALACCOUNT_PROVIDERS["saml"] = {
        "APPS": [
            {
                "name": env_str("SSO_SAML_NAME", "your organization's sign-in"),
                "provider_id": env_str("SSO_SAML_ENTITY_ID"),
                # The part of the SAML addresses naming this provider: /accounts/saml/<it>/...
                "client_id": env_str("SSO_SAML_ORGANIZATION", "organization"),
                "settings": {
                    "attribute_mapping": {
                        "uid": env_str("SSO_SAML_UID_ATTRIBUTE", "uid"),
                        "email": env_str("SSO_SAML_EMAIL_ATTRIBUTE", "email"),
                        # Without it allauth takes the address as unverified and matches
                        # no account by it.
                        "email_verified": env_str(
                            "SSO_SAML_EMAIL_VERIFIED_ATTRIBUTE", "email_verified"
                        ),
                    },
                    "idp": _saml_idp,
                },
            }
        ],
    }

# A fresh sign-in is the password or the second factor; never a code sent by email (an
# email account alone must not be enough to export every proposal or change a role).
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")

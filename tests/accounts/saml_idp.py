"""A SAML identity provider made in the test: a self-signed key and certificate, and signed
SAML Responses (python3-saml's signing, on xmlsec) answering the site's AuthnRequest."""

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ENTITY_ID = "https://idp.council.example.org/saml"
SSO_URL = "https://idp.council.example.org/saml/sso"


@dataclass
class KeyPair:
    key_pem: str
    cert_pem: str


def make_key_pair(common_name: str = "idp.council.example.org") -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return KeyPair(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
    )


def _instant(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_response(
    *,
    keys: KeyPair,
    in_response_to: str,
    acs_url: str,
    audience: str,
    email: str,
    issuer: str = ENTITY_ID,
) -> str:
    """A SAML Response (base64, as the browser POSTs it) for `email`, its Response
    element signed with `keys`."""
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    now = datetime.now(UTC)
    response_id, assertion_id = f"_{uuid.uuid4().hex}", f"_{uuid.uuid4().hex}"
    attributes = "".join(
        f'<saml:Attribute Name="{name}" '
        'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">'
        f'<saml:AttributeValue xsi:type="xs:string">{value}</saml:AttributeValue>'
        "</saml:Attribute>"
        for name, value in (
            ("uid", email.split("@")[0]),
            ("email", email),
            ("email_verified", "true"),
        )
    )
    xml = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{response_id}" Version="2.0" IssueInstant="{_instant(now)}" Destination="{acs_url}" InResponseTo="{in_response_to}"><saml:Issuer>{issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="{assertion_id}" Version="2.0" IssueInstant="{_instant(now)}"><saml:Issuer>{issuer}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{_instant(now + timedelta(minutes=5))}" Recipient="{acs_url}" InResponseTo="{in_response_to}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{_instant(now - timedelta(minutes=1))}" NotOnOrAfter="{_instant(now + timedelta(minutes=5))}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{_instant(now)}" SessionIndex="{assertion_id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion></samlp:Response>"""
    signed = OneLogin_Saml2_Utils.add_sign(xml, keys.key_pem, keys.cert_pem)
    if isinstance(signed, str):
        signed = signed.encode()
    return base64.b64encode(signed).decode()

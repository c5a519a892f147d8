#!/usr/bin/env python3
"""Interoperability check of dsop-harness's JOSE output against an independent
implementation (jwcrypto, https://pypi.org/project/jwcrypto/).

Usage: jose_interop.py --trust-dir DIR --work WORK

Reads from WORK (written by the Rust test `tests/trust/interop.rs`):
  eo.jws                       PS256 extradition order signed by dsop-harness
  body.json                    plaintext of the JWEs
  jwe-<alg>-<enc>.jwe          JWEs encrypted by dsop-harness to consumer-encryption-cert.pem
Checks:
  1. eo.jws verifies with the public key of the certificate x5c[0] of the JWK in
     DIR/prosecution-jwks.json whose kid equals the JWS header kid (digest 5.5).
  2. every jwe-*.jwe decrypts with DIR/consumer-encryption-key.pem to body.json (digest 7.2).
Writes to WORK for the Rust side to check:
  py-eo.jws                    PS256 JWS over the same payload, signed with
                               DIR/private/prosecution-signing-key.pem, header typ/alg/kid
  py-jwe-<alg>-<enc>.jwe       body.json encrypted to consumer-encryption-cert.pem
Exit 0 when every check passed; 1 otherwise; 2 when jwcrypto is missing.
"""
import argparse
import base64
import glob
import json
import os
import sys

try:
    from jwcrypto import jwe, jwk, jws
    from cryptography import x509
except ImportError:
    print("jwcrypto is not installed: run `pip install jwcrypto`", file=sys.stderr)
    sys.exit(2)

PAIRS = [("RSA-OAEP-256", "A128CBC-HS256"), ("RSA-OAEP-256", "A256GCM")]


def b64url_json(segment):
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trust-dir", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    trust, work = args.trust_dir, args.work
    failures = []

    # 1. Verify our PS256 extradition order with the certificate from our JWKS.
    token = read(os.path.join(work, "eo.jws")).strip()
    header = b64url_json(token.split(".")[0])
    jwks = json.loads(read(os.path.join(trust, "prosecution-jwks.json")))
    entry = next((k for k in jwks["keys"] if k["kid"] == header.get("kid")), None)
    if entry is None:
        failures.append("EO kid %r not in prosecution-jwks.json" % header.get("kid"))
    else:
        cert = x509.load_der_x509_certificate(base64.b64decode(entry["x5c"][0]))
        key = jwk.JWK.from_pyca(cert.public_key())
        try:
            obj = jws.JWS()
            obj.deserialize(token)
            obj.verify(key, alg="PS256")
            print("ok: dsop-harness PS256 extradition order verified by jwcrypto")
        except Exception as e:  # noqa: BLE001 - report any library failure
            failures.append("EO signature rejected by jwcrypto: %r" % e)

    # 2. Decrypt our JWEs with the consumer key.
    body = read(os.path.join(work, "body.json"), "rb")
    consumer_key = jwk.JWK.from_pem(read(os.path.join(trust, "consumer-encryption-key.pem"), "rb"))
    ours = sorted(glob.glob(os.path.join(work, "jwe-*.jwe")))
    if len(ours) < 2:
        failures.append("expected at least two dsop-harness JWEs, found %d" % len(ours))
    for path in ours:
        obj = jwe.JWE()
        try:
            obj.deserialize(read(path).strip(), key=consumer_key)
            if obj.payload != body:
                failures.append("%s: plaintext differs" % os.path.basename(path))
            else:
                print("ok: jwcrypto decrypted %s" % os.path.basename(path))
        except Exception as e:  # noqa: BLE001
            failures.append("%s: jwcrypto could not decrypt: %r" % (os.path.basename(path), e))

    # 3. Produce our own JWEs and PS256 JWS for dsop-harness to consume.
    cert = x509.load_pem_x509_certificate(read(os.path.join(trust, "consumer-encryption-cert.pem"), "rb"))
    recipient = jwk.JWK.from_pyca(cert.public_key())
    for alg, enc in PAIRS:
        obj = jwe.JWE(body, protected=json.dumps({"alg": alg, "enc": enc}))
        obj.add_recipient(recipient)
        with open(os.path.join(work, "py-jwe-%s-%s.jwe" % (alg, enc)), "w") as f:
            f.write(obj.serialize(compact=True))
    signing_key = jwk.JWK.from_pem(
        read(os.path.join(trust, "private", "prosecution-signing-key.pem"), "rb"))
    payload = base64.urlsafe_b64decode(token.split(".")[1] + "=" * (-len(token.split(".")[1]) % 4))
    obj = jws.JWS(payload)
    obj.add_signature(signing_key, alg="PS256",
                      protected=json.dumps({"typ": "JWT", "alg": "PS256", "kid": header.get("kid")}))
    with open(os.path.join(work, "py-eo.jws"), "w") as f:
        f.write(obj.serialize(compact=True))
    print("ok: wrote py-eo.jws and %d py-jwe files" % len(PAIRS))

    for failure in failures:
        print("FAIL: " + failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

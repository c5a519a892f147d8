#!/usr/bin/env python3
"""An independent police client for Politi-Utlevering, written only from the DSOP digest and the
dsop-harness environment contract (docs/police-vendors.md). It exists to prove that the police
suite judges behaviour, not the reference client's implementation details.

Dependencies: requests, jwcrypto (pip). Reads the case from DSOP_* variables, writes the case
result (schema case-result) to DSOP_OUTPUT, exits 0 when the case finished (even if banks
failed), non-zero when it could not run the case at all.

Flow (digest 1.2): Maskinporten token (JWT grant, RS256, x5c) per scope and audience ->
registry customerRelationships (Trinn 1, no extradition order) -> Felles datakatalog per bank ->
per bank, concurrently: Accounts (Trinn 2a, every page) -> Account details, Transactions (every
page), Cards, Roles for each listed account the order allows (Trinn 2b), never for
dataNotDelivered. 5xx, 429 and transport errors are retried (3 attempts, Retry-After honoured);
4xx never.
"""

import base64
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import requests
from jwcrypto import jwe, jwk, jwt

SCOPE_REGISTRY = "bits:kundeforhold"
SCOPE_BANK = "bits:kontoinformasjon"
ENDPOINTS_PATH = "/datakatalog/v1/endpoints"
RELATIONSHIPS_PATH = "/customers/customerRelationships"
FORMAT = "dsop-harness/case-result@1"
ATTEMPTS = 3
TIMEOUT = 30


def env(name, required=True):
    value = os.environ.get(name, "")
    if required and not value:
        raise SystemExit(f"{name} is not set")
    return value


def flag(name):
    return os.environ.get(name, "").strip().lower() in ("1", "true")


def encode_mandate(plain):
    # encodeURIComponent: parentheses stay unencoded (digest 4.1).
    return quote(plain, safe="-_.!~*'()")


class Client:
    def __init__(self):
        self.trust = env("DSOP_TRUST_DIR")
        with open(os.path.join(self.trust, "trust.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        self.client_id = manifest["police_client_id"]
        self.issuer = manifest["maskinporten_issuer"]
        with open(os.path.join(self.trust, "police-client-key.pem"), "rb") as f:
            self.client_key = jwk.JWK.from_pem(f.read())
        with open(os.path.join(self.trust, "police-client-cert.pem"), "rb") as f:
            pem = f.read().decode()
        first = pem.split("-----END CERTIFICATE-----")[0]
        body = first.split("-----BEGIN CERTIFICATE-----")[1]
        self.cert_b64 = "".join(body.split())
        with open(os.path.join(self.trust, "consumer-encryption-key.pem"), "rb") as f:
            self.decryption_key = jwk.JWK.from_pem(f.read())
        self.token_url = env("DSOP_MASKINPORTEN_URL")
        self.registry_url = env("DSOP_REGISTRY_URL").rstrip("/")
        self.catalog_url = env("DSOP_CATALOG_URL").rstrip("/")
        self.party = env("DSOP_PARTY_ID")
        self.from_date = env("DSOP_FROM_DATE")
        self.to_date = env("DSOP_TO_DATE")
        self.mandate = encode_mandate(env("DSOP_LEGAL_MANDATE"))
        self.only_primary_owner = flag("DSOP_ONLY_PRIMARY_OWNER")
        self.case_id = env("DSOP_CASE_ID")
        self.requester = env("DSOP_REQUESTER_ID")
        self.order = env("DSOP_EXTRADITION_ORDER")
        self.plain = flag("DSOP_PLAIN_JSON")
        self.direct = [b for b in env("DSOP_DIRECT_BANKS", False).split(",") if b.strip()]
        payload = self.order.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        self.flags = json.loads(base64.urlsafe_b64decode(payload))
        self.tokens = {}
        self.lock = threading.Lock()
        self.http = requests.Session()

    # -- transport ---------------------------------------------------------------------------

    def send(self, method, url, headers=None, params=None, data=None):
        """One request with bounded retries; returns (status, headers, payload or error text)."""
        last = None
        for attempt in range(1, ATTEMPTS + 1):
            try:
                r = self.http.request(method, url, headers=headers, params=params, data=data,
                                      timeout=TIMEOUT, allow_redirects=False)
            except requests.RequestException as e:
                last = (None, {}, f"{url}: {e}")
                if attempt < ATTEMPTS:
                    time.sleep(0.1 * 2 ** (attempt - 1))
                    continue
                return last
            if (r.status_code >= 500 or r.status_code == 429) and attempt < ATTEMPTS:
                wait = 0.1 * 2 ** (attempt - 1)
                try:
                    wait = float(r.headers.get("Retry-After", wait))
                except ValueError:
                    pass
                time.sleep(min(wait, 2.0))
                continue
            return r.status_code, r.headers, self.decode(r)
        return last

    def decode(self, r):
        media = r.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            if media == "application/jose":
                token = jwe.JWE()
                token.deserialize(r.text.strip(), key=self.decryption_key)
                return json.loads(token.payload)
            return r.json()
        except Exception as e:  # noqa: BLE001 - any undecodable body is reported, not raised
            return f"unreadable {media or 'body'}: {e}"

    def token(self, scope, audience=None):
        """A Maskinporten token for `scope`; audience-restricted to `audience` (the grant's
        `resource`, digest 6.3) when given, else a token without `resource` (digest 1.2 asks for
        nothing more for the registry)."""
        key = (scope, audience)
        with self.lock:
            cached = self.tokens.get(key)
            if cached and cached[1] > time.time() + 10:
                return cached[0]
        now = int(time.time())
        claims = {"aud": self.issuer, "iss": self.client_id, "scope": scope,
                  "iat": now, "exp": now + 120, "jti": str(uuid.uuid4())}
        if audience is not None:
            claims["resource"] = [audience]
        grant = jwt.JWT(
            header={"alg": "RS256", "typ": "JWT", "x5c": [self.cert_b64]},
            claims=claims,
        )
        grant.make_signed_token(self.client_key)
        status, _, body = self.send("POST", self.token_url, data={
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "assertion": grant.serialize(),
        })
        if status != 200 or not isinstance(body, dict) or "access_token" not in body:
            raise RuntimeError(f"token for {audience} ({scope}): HTTP {status}: {body}")
        with self.lock:
            self.tokens[key] = (body["access_token"], time.time() + body.get("expires_in", 120))
        return body["access_token"]

    @staticmethod
    def failure(status, body):
        if status is None:
            return str(body)
        if isinstance(body, dict):
            return f"HTTP {status} ({body.get('code', body.get('errorCode', '?'))}: " \
                   f"{body.get('message', body.get('errorMessage', ''))})"
        return f"HTTP {status}: {body}"

    # -- the case ----------------------------------------------------------------------------

    def registry_banks(self):
        # The registry grant carries no `resource` (digest 1.2, 6.3 show it only for banks).
        token = self.token(SCOPE_REGISTRY)
        status, _, body = self.send("GET", self.registry_url + RELATIONSHIPS_PATH, headers={
            "Authorization": f"Bearer {token}",
            "CustomerID": self.party,
            "CorrelationID": str(uuid.uuid4()),
            "Legal-Mandate": self.mandate,
            "AccountInfoRequestID": self.case_id,
        }, params={"fromDate": self.from_date, "toDate": self.to_date,
                   "onlyPrimaryOwner": "true" if self.only_primary_owner else "false"})
        if status != 200 or not isinstance(body, dict):
            raise RuntimeError(f"registry: {self.failure(status, body)}")
        return [(b["organizationID"], b.get("bankName", "")) for b in body.get("banks") or []]

    def direct_banks(self):
        status, _, body = self.send("GET", self.catalog_url + ENDPOINTS_PATH)
        names = {}
        if status == 200 and isinstance(body, list):
            names = {e.get("orgNo"): e.get("name", "") for e in body}
        return [(org, names.get(org, org)) for org in self.direct]

    def control_headers(self, token, with_party):
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json" if self.plain else "application/jose",
            "AccountInfoRequestID": self.case_id,
            "CorrelationID": str(uuid.uuid4()),
            "Legal-Mandate": self.mandate,
            "AdditionalReferenceID": self.order,
            "AdditionalReferenceIDType": "pol1",
            "RequesterID": self.requester,
        }
        if with_party:
            headers["PartyID"] = self.party
        return headers

    def paged(self, base, path, params, token, key, with_party, on_page):
        """GET a list endpoint and follow next links (relative hrefs, digest 7.4)."""
        items, url, query = [], base + path, params
        while True:
            status, _, body = self.send("GET", url, self.control_headers(token, with_party), query)
            if status != 200 or not isinstance(body, dict):
                return items, self.failure(status, body)
            on_page(body)
            items.extend(body.get(key) or [])
            nxt = next((l["href"] for l in body.get("links") or [] if l.get("rel") == "next"), None)
            if not nxt:
                return items, None
            url = nxt if nxt.startswith("http") else base + "/" + nxt.lstrip("/")
            query = None

    def bank(self, org, name):
        result = {"orgNumber": org, "name": name, "status": "complete", "messages": [],
                  "accounts": []}

        def failed(why):
            result["status"] = "failed"
            result["messages"].append(why)
            return result

        def note(body):
            details = body.get("responseDetails") or {}
            if details.get("status") == "partial":
                result["status"] = "partial"
                message = details.get("message") or "partial without a message"
                if message not in result["messages"]:
                    result["messages"].append(message)

        status, _, entry = self.send("GET", f"{self.catalog_url}{ENDPOINTS_PATH}/{org}")
        if status != 200 or not isinstance(entry, dict) or not entry.get("url"):
            return failed(f"catalogue lookup: {self.failure(status, entry)}")
        base = entry["url"].rstrip("/")
        try:
            token = self.token(SCOPE_BANK, base)
        except RuntimeError as e:
            return failed(str(e))
        period = {"fromDate": self.from_date, "toDate": self.to_date}
        accounts, error = self.paged(
            base, "/accounts",
            dict(period, OnlyPrimaryOwner="TRUE" if self.only_primary_owner else "FALSE"),
            token, "accounts", True, note)
        if error:
            return failed(f"Accounts: {error}")
        for account in accounts:
            reference = account.get("accountReference", "")
            item = {"account": account}
            errors = []
            if reference == "dataNotDelivered":
                item["dataNotDelivered"] = True
            else:
                ref = quote(reference, safe="")
                if self.flags.get("accountDetails"):
                    s, _, body = self.send("GET", f"{base}/accounts/{ref}",
                                           self.control_headers(token, False), period)
                    if s == 200 and isinstance(body, dict):
                        note(body)
                        if body.get("account") is not None:
                            item["details"] = body["account"]
                    else:
                        errors.append(f"Account details: {self.failure(s, body)}")
                if self.flags.get("transactions"):
                    txs, error = self.paged(base, f"/accounts/{ref}/transactions", period,
                                            token, "transactions", False, note)
                    if error:
                        errors.append(f"Transactions: {error}")
                    else:
                        item["transactions"] = txs
                for flag_name, path, key, label in (("cards", "cards", "paymentCards", "Cards"),
                                                    ("roles", "roles", "roles", "Roles")):
                    if not self.flags.get(flag_name):
                        continue
                    s, _, body = self.send("GET", f"{base}/accounts/{ref}/{path}",
                                           self.control_headers(token, False), period)
                    if s == 200 and isinstance(body, dict):
                        note(body)
                        item[key if key != "paymentCards" else "cards"] = body.get(key) or []
                    else:
                        errors.append(f"{label}: {self.failure(s, body)}")
            if errors:
                item["errors"] = errors
                if result["status"] == "complete":
                    result["status"] = "partial"
            result["accounts"].append(item)
        return result

    def run(self):
        banks = self.direct_banks() if self.direct else self.registry_banks()
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda b: self.bank(*b), banks))
        for r in results:
            if not r["messages"]:
                del r["messages"]
        return {"format": FORMAT, "caseId": self.case_id, "partyId": self.party,
                "fromDate": self.from_date, "toDate": self.to_date, "banks": results}


def main():
    output = env("DSOP_OUTPUT")
    try:
        result = Client().run()
    except (RuntimeError, OSError, KeyError, ValueError) as e:
        print(f"police_client: the case could not be run: {e}", file=sys.stderr)
        return 1
    with open(output, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    failed = sum(1 for b in result["banks"] if b["status"] == "failed")
    print(f"case {result['caseId']}: {len(result['banks'])} bank(s), {failed} failed; "
          f"result written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

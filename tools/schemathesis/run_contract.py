#!/usr/bin/env python3
"""The OpenAPI file of a service as a test: schemathesis against the service's real binary.

    run_contract.py --spec contracts/openapi/cart.yaml --binary build/services/cart/cart_service
                    [--catalog tools/catalog/sample_catalog.jsonl] [--max-examples N] [--seed S]
                    [--work-dir DIR] [--st PATH] [--sidecar BINARY,PORT_ENV,URL_ENV[,NAME=VALUE...] ...]
                    [--env NAME=VALUE ...] [--api-key SCHEME,NAME ...] [--reset-pg-schema NAME]

Starts the binary on a free port of 127.0.0.1 with the environment it was given (ctest gets the
test profile's from scripts/env.sh: Redis, Kafka, JWT settings) plus an isolated
KAFKA_GROUP_PREFIX, waits for GET /readyz to answer 200, mints two HS256 tokens for users of
its own (a new pair per run: the first drives the run, the second is the peer of the
object-level authorization check), makes sure the products of the catalog exist
(`SET catalog:product:{sku} ... NX`, so a loaded catalog is left as it is), and runs
`st run` on the file with every check, every phase (examples, coverage, fuzzing, stateful through
the file's `links`) and a bounded number of examples. Body `sku`s are drawn from the catalog
most of the time (a dictionary), so adds succeed and the links have lines to follow.
A sidecar is a simulator the service calls (the carrier calendar for the Shipping, the payment
gateways for the Payment): started first on a free port, with any more variables it is given, and
its URL given to the service. `--env` adds a variable to the service's environment; in both, "{url}"
is the service's own base URL (chosen before anything starts, so a simulator can call the service
back). `--api-key SCHEME,NAME` authenticates the file's apiKey security scheme SCHEME with the
value of the service's variable NAME (e.g. the back office's key). `--reset-pg-schema NAME` drops
the PostgreSQL schema the service's variable NAME names (it must contain "contract") from PG_DSN
before the service starts (psql), so each run starts from no rows. The service and its sidecars are stopped
(SIGTERM, then SIGKILL) afterwards. Exit 0 only if schemathesis found
no failure (a 5xx answer is one); 1 otherwise; 2 on a setup error.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def log(message: str) -> None:
    print(f"[contract] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def mint_token(sub: str, secret: str, issuer: str, audience: str, ttl: int = 3600) -> str:
    """An HS256 JWT as the services accept it (the same claims as tools/dev_token)."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"sub": sub, "iss": issuer, "aud": audience, "iat": now, "nbf": now, "exp": now + ttl}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(claims, separators=(",", ":")).encode())
    )
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


def resp_command(*args: str) -> bytes:
    out = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        data = arg.encode()
        out.append(f"${len(data)}\r\n".encode() + data + b"\r\n")
    return b"".join(out)


def redis_pipeline(host: str, port: int, commands: list[tuple[str, ...]]) -> None:
    """Sends the commands in one write and reads one reply each (simple replies only)."""
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(b"".join(resp_command(*c) for c in commands))
        reader = sock.makefile("rb")
        for command in commands:
            line = reader.readline()
            if not line:
                raise RuntimeError("redis closed the connection")
            if line.startswith(b"-"):
                raise RuntimeError(f"redis {command[0]}: {line.decode().strip()}")
            if line.startswith(b"$") and int(line[1:]) >= 0:
                reader.read(int(line[1:]) + 2)


def load_catalog(path: Path) -> list[dict]:
    products = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                products.append(json.loads(line))
    return products


def seed_catalog(products: list[dict]) -> None:
    host = os.environ.get("REDIS_HOST", "127.0.0.1")
    port = int(os.environ.get("REDIS_PORT", "6390"))
    commands = [
        ("SET", f"catalog:product:{{{p['sku']}}}", json.dumps(p, ensure_ascii=False, separators=(",", ":")), "NX")
        for p in products
    ]
    redis_pipeline(host, port, commands)
    log(f"catalog: {len(products)} products present in Redis {host}:{port}")


def sku_dictionary(products: list[dict]) -> list[str]:
    """Skus an add can succeed with without a parent: products and standalone services."""
    products_first = [p["sku"] for p in products if p.get("category") != "service"]
    standalone = [p["sku"] for p in products if "standalone" in p.get("flags", [])]
    tied = [p["sku"] for p in products if p.get("category") == "service" and "standalone" not in p.get("flags", [])]
    # A handful is enough: repeats make the merge path (same sku again) likely too.
    return products_first[:12] + standalone + tied[:2]


def http_get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return 0


def wait_ready(proc: subprocess.Popen, base: str, timeout: float, path: str = "/readyz") -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if http_get(base + path) == 200:
            return True
        time.sleep(0.2)
    return False


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def write_config(path: Path, skus: list[str], api_keys: dict[str, str]) -> None:
    """The schemathesis configuration of a run (see tools/schemathesis/README.md)."""
    sku_values = ", ".join(toml_str(s) for s in skus)
    auth = "".join(f"\n[auth.openapi.{scheme}]\napi_key = {toml_str(key)}\n" for scheme, key in api_keys.items())
    path.write_text(
        f"""# Written by tools/schemathesis/run_contract.py for one run.
# A Server-Sent Events answer (the Checkout's summary stream) is read up to its first event, not
# until the request's timeout.
max-stream-events = 1

[dictionaries.catalog_skus]
values = [{sku_values}]

[parameters]
# Mostly skus the catalog has, so adds succeed and the links have lines to follow; the rest are
# generated from the schema (unknown skus: 422).
"body.sku" = {{ dictionary = "catalog_skus", probability = 0.8 }}

[checks]
# Negative data (not matching the schema) must be rejected; 413 is a rejection too.
negative_data_rejection.expected-statuses = ["400", "401", "404", "405", "409", "413", "415", "422"]
# Positive data (matching the schema) must not be called malformed: a 422 for a business rule the
# schema cannot say (unknown sku, a service without its parent, a line id without a price
# change) is an answer the file declares; 400 and 5xx are not accepted.
positive_data_acceptance.expected-statuses = ["2xx", "401", "404", "409", "422"]
""" + auth,
        encoding="utf-8",
    )


def write_auth(path: Path, tokens: dict[str, str]) -> None:
    path.write_text(
        json.dumps(
            {
                "auth": [
                    {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {token}"}]}
                    for name, token in tokens.items()
                ]
            },
            indent=2,
        ),
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", required=True, type=Path, help="the service's OpenAPI file")
    parser.add_argument("--binary", required=True, type=Path, help="the service executable")
    parser.add_argument("--catalog", type=Path, default=ROOT / "tools/catalog/sample_catalog.jsonl")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("CONTRACT_MAX_EXAMPLES", "40")))
    parser.add_argument("--max-time", type=int, default=int(os.environ.get("CONTRACT_MAX_TIME", "0")),
                        help="seconds; 0: no time budget, stop when the examples are done")
    parser.add_argument("--seed", type=int, default=None, help="schemathesis seed (default: random, printed)")
    parser.add_argument("--work-dir", type=Path, default=None, help="logs and reports (default: a temp dir)")
    parser.add_argument("--st", default=str(Path(sys.executable).with_name("st")), help="the schemathesis CLI")
    parser.add_argument("--ready-timeout", type=float, default=60.0)
    parser.add_argument("--sidecar", action="append", default=[], metavar="BINARY,PORT_ENV,URL_ENV",
                        help="a simulator the service calls (e.g. the carrier calendar): started first "
                             "with PORT_ENV=<free port>, waited for on /healthz, and given to the "
                             "service as URL_ENV=http://127.0.0.1:<port>; more NAME=VALUE fields are set "
                             "in its environment ({url}: the service's base URL); repeatable")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="a variable for the service ({url}: its own base URL); repeatable")
    parser.add_argument("--api-key", action="append", default=[], metavar="SCHEME,NAME",
                        help="authenticate the file's apiKey scheme SCHEME with the service's variable "
                             "NAME; repeatable")
    parser.add_argument("--reset-pg-schema", action="append", default=[], metavar="NAME",
                        help="drop the PostgreSQL schema named by the service's variable NAME first "
                             "(the name must contain 'contract'); repeatable")
    args = parser.parse_args()

    if not args.binary.is_file():
        log(f"no service binary {args.binary}: build it first")
        return 2
    if not Path(args.st).exists():
        log(f"no schemathesis CLI {args.st}: run scripts/install.sh venv")
        return 2
    if os.environ.get("JWT_ALGORITHM", "HS256") != "HS256":
        log("JWT_ALGORITHM is not HS256: this runner mints HS256 tokens only")
        return 2

    name = args.spec.stem
    run_id = uuid.uuid4().hex[:10]
    work = args.work_dir or Path(tempfile.mkdtemp(prefix=f"contract-{name}-"))
    work.mkdir(parents=True, exist_ok=True)
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")

    products = load_catalog(args.catalog)
    try:
        seed_catalog(products)
    except (OSError, RuntimeError) as e:
        log(f"cannot reach Redis to seed the catalog: {e}")
        return 2

    # The service's port first: a sidecar may need to call it back.
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    for assignment in args.env:
        variable, _, value = assignment.partition("=")
        env[variable] = value.replace("{url}", base)
    for variable in args.reset_pg_schema:
        schema = env.get(variable, "")
        if "contract" not in schema or not schema.replace("_", "").isalnum():
            log(f"{variable}={schema!r}: only a schema of letters, digits and _ with 'contract' in its name is dropped")
            return 2
        dropped = subprocess.run(["psql", env.get("PG_DSN", ""), "-v", "ON_ERROR_STOP=1", "-qc",
                                  f"DROP SCHEMA IF EXISTS {schema} CASCADE"],
                                 capture_output=True, text=True, check=False)
        if dropped.returncode != 0:
            log(f"cannot drop schema {schema}: {dropped.stderr.strip()}")
            return 2
        log(f"PostgreSQL schema {schema}: dropped, the service creates it anew")
    sidecars = []
    for spec in args.sidecar:
        binary, port_env, url_env, *more = spec.split(",")
        sidecar_env = dict(os.environ)
        for assignment in more:
            variable, _, value = assignment.partition("=")
            sidecar_env[variable] = value.replace("{url}", base)
        sidecar_port = free_port()
        sidecar_env[port_env] = str(sidecar_port)
        sidecar_log = work / f"{Path(binary).name}.log"
        with sidecar_log.open("wb") as out:
            sidecars.append(subprocess.Popen([binary], env=sidecar_env,
                                             stdout=out, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, start_new_session=True))
        sidecar_url = f"http://127.0.0.1:{sidecar_port}"
        if not wait_ready(sidecars[-1], sidecar_url, args.ready_timeout, path="/healthz"):
            log(f"sidecar {binary} not ready; its log:")
            print(tail(sidecar_log), flush=True)
            for proc in sidecars:
                stop(proc)
            return 2
        env[url_env] = sidecar_url
    try:
        return run_service(args, work, name, run_id, seed, products, env, port)
    finally:
        for proc in sidecars:
            stop(proc)


def run_service(args, work: Path, name: str, run_id: str, seed: int, products: list[dict],
                env: dict, port: int) -> int:
    base = f"http://127.0.0.1:{port}"
    env.update(
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        KAFKA_GROUP_PREFIX=f"contract-{name}-{run_id}-",
        LOG_LEVEL=os.environ.get("CONTRACT_SERVICE_LOG_LEVEL", "warn"),
    )
    service_log = work / f"{args.binary.name}.log"
    log(f"starting {args.binary} on {base} (log {service_log})")
    started = time.monotonic()
    with service_log.open("wb") as out:
        proc = subprocess.Popen([str(args.binary)], env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        if not wait_ready(proc, base, args.ready_timeout):
            log(f"{args.binary.name} not ready within {args.ready_timeout:.0f} s (exit {proc.poll()}); its log:")
            print(tail(service_log), flush=True)
            return 2
        log(f"ready after {time.monotonic() - started:.1f} s")

        secret = os.environ.get("JWT_SECRET", "dev-secret-change-me")
        issuer = os.environ.get("JWT_ISSUER", "checkout-local")
        audience = os.environ.get("JWT_AUDIENCE", "checkout")
        tokens = {f"contract-{role}-{run_id}": mint_token(f"contract-{role}-{run_id}", secret, issuer, audience)
                  for role in ("owner", "peer")}
        config = work / "schemathesis.toml"
        auth = work / "auth.json"
        api_keys = {}
        for entry in args.api_key:
            scheme, variable = entry.split(",")
            api_keys[scheme] = env.get(variable, "")
        write_config(config, sku_dictionary(products), api_keys)
        write_auth(auth, tokens)

        command = [
            args.st, "--config-file", str(config), "--no-color", "run", str(args.spec.resolve()),
            "--url", base,
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--max-examples", str(args.max_examples),
            "--seed", str(seed),
            "--workers", "1",
            "--generation-database", "none",
            "--auth-wfc", str(auth),
            "--request-timeout", "10",
            "--report", "junit",
            "--report-dir", str(work / "report"),
            "--warnings", "off",
        ]
        if args.max_time > 0:
            command += ["--max-time", str(args.max_time)]
        log("schemathesis: " + " ".join(shlex.quote(c) for c in command))
        log(f"reproduce with --seed {seed}")
        st_started = time.monotonic()
        st_env = dict(os.environ, SCHEMATHESIS_HOOKS="contract_hooks",
                      PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent),
                                                               os.environ.get("PYTHONPATH")])))
        rc = subprocess.call(command, cwd=work, env=st_env)
        log(f"schemathesis exit {rc} after {time.monotonic() - st_started:.1f} s "
            f"(whole run {time.monotonic() - started:.1f} s); work dir {work}")
        if proc.poll() is not None:
            log(f"{args.binary.name} exited during the run (exit {proc.returncode}); its log:")
            print(tail(service_log), flush=True)
            return 1
        return 0 if rc == 0 else 1
    finally:
        stop(proc)


if __name__ == "__main__":
    sys.exit(main())

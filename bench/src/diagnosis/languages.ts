import type { StackFrame } from '@internal/plugin-product-os-common';
import type { Random } from '@internal/product-os-demo/src/product/random';

/** The languages simulated services are written in. */
export type Language = 'typescript' | 'python' | 'java' | 'go';

/** Kinds of failure on the far side of a call, as each language's HTTP and cloud clients word them. */
export type RemoteFailure =
  | 'timeout'
  | 'refused'
  | 'gateway'
  | 'unavailable'
  | 'dns'
  | 'certificate'
  | 'cloud_endpoint';

/**
 * How a service in another language lays out its code and how its stack traces and failures
 * read, taken from what each language's Sentry SDK reports (Python: the module's relative
 * `filename`; Java: only the class's file name; Go: the absolute path in the build container).
 * TypeScript services keep the layout of `services.ts`.
 */
export interface LanguageLayout {
  /** Files of a module, its main file first and its route or handler last. */
  moduleFiles(base: string, pkg: string, module: string): string[];
  /** Files every service has: the HTTP helper first, the database helper, the entry point. */
  sharedFiles(base: string, pkg: string): string[];
  clientFile(base: string, pkg: string, dependency: string): string;
  manifests(base: string): string[];
  frameFilename(base: string, path: string): string;
  /** A library frame at the top of a data-access failure, and the framework's frame at the bottom. */
  dataFrame: StackFrame;
  frameworkFrame: StackFrame;
  /** The library frame of an outbound HTTP call or of a cloud SDK call. */
  httpFrame: StackFrame;
  cloudFrame: StackFrame;
  errorTitle(module: string, rng: Random): string;
  remoteFailure(kind: RemoteFailure, host: string, rng: Random): string;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const snake = (s: string) => s.replace(/-/g, '_');
const pascal = (s: string) => s.split(/[-_]/).map(capital).join('');

const VERBS = ['apply', 'compute', 'validate', 'load', 'save', 'sync', 'find'];

const library = (filename: string, fn: string): StackFrame => ({
  filename,
  function: fn,
  lineno: 100,
  inApp: false,
});

const python: LanguageLayout = {
  moduleFiles: (base, pkg, module) => [
    `${base}${pkg}/${module}/service.py`,
    `${base}${pkg}/${module}/repository.py`,
    `${base}${pkg}/${module}/models.py`,
    ...VERBS.map(v => `${base}${pkg}/${module}/${v}_${module}.py`),
    `${base}${pkg}/api/${module}_views.py`,
  ],
  sharedFiles: (base, pkg) => [
    `${base}${pkg}/lib/http.py`,
    `${base}${pkg}/lib/db.py`,
    `${base}${pkg}/main.py`,
  ],
  clientFile: (base, pkg, dep) => `${base}${pkg}/clients/${snake(dep)}.py`,
  manifests: base => [`${base}requirements.txt`, `${base}poetry.lock`],
  // sentry-python reports the path relative to the import root.
  frameFilename: (base, path) => path.slice(base.length),
  dataFrame: library(
    '/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py',
    '_execute_context',
  ),
  frameworkFrame: library(
    '/usr/local/lib/python3.12/site-packages/django/core/handlers/base.py',
    '_get_response',
  ),
  httpFrame: library(
    '/usr/local/lib/python3.12/site-packages/requests/adapters.py',
    'send',
  ),
  cloudFrame: library(
    '/usr/local/lib/python3.12/site-packages/botocore/endpoint.py',
    '_send',
  ),
  errorTitle: (module, rng) =>
    rng.pick([
      `KeyError: '${module}_id'`,
      `AttributeError: 'NoneType' object has no attribute '${module}'`,
      `ValueError: invalid literal for int() with base 10: '${module}'`,
      `TypeError: unsupported operand type(s) for +: 'Decimal' and 'float'`,
      `psycopg2.errors.DeadlockDetected: deadlock detected while updating ${module}`,
      `IndexError: list index out of range`,
    ]),
  remoteFailure: (kind, host, rng) => {
    switch (kind) {
      case 'timeout':
        return `requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='${host}', port=443): Read timed out. (read timeout=5)`;
      case 'refused':
        return `requests.exceptions.ConnectionError: HTTPSConnectionPool(host='${host}', port=443): Max retries exceeded with url: /v1/${rng.pick(
          ['charges', 'items', 'rates'],
        )} (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object>: Failed to establish a new connection: [Errno 111] Connection refused'))`;
      case 'gateway':
        return `requests.exceptions.HTTPError: 502 Server Error: Bad Gateway for url: https://${host}/v1/`;
      case 'unavailable':
        return `requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: https://${host}/v1/`;
      case 'dns':
        return `requests.exceptions.ConnectionError: HTTPSConnectionPool(host='${host}', port=443): Max retries exceeded (Caused by NameResolutionError("Failed to resolve '${host}' ([Errno -2] Name or service not known)"))`;
      case 'certificate':
        return `requests.exceptions.SSLError: HTTPSConnectionPool(host='${host}', port=443): Max retries exceeded (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)')))`;
      default:
        return `botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: "https://${host}/"`;
    }
  },
};

const java: LanguageLayout = {
  moduleFiles: (base, pkg, module) => {
    const dir = `${base}src/main/java/com/acme/${snake(pkg)}/${module}`;
    const M = capital(module);
    return [
      `${dir}/${M}Service.java`,
      `${dir}/${M}Repository.java`,
      `${dir}/${M}.java`,
      ...VERBS.map(v => `${dir}/${capital(v)}${M}.java`),
      `${base}src/main/java/com/acme/${snake(pkg)}/web/${M}Controller.java`,
    ];
  },
  sharedFiles: (base, pkg) => {
    const dir = `${base}src/main/java/com/acme/${snake(pkg)}/infra`;
    return [
      `${dir}/HttpClientConfig.java`,
      `${dir}/DataSourceConfig.java`,
      `${base}src/main/java/com/acme/${snake(pkg)}/Application.java`,
    ];
  },
  clientFile: (base, pkg, dep) =>
    `${base}src/main/java/com/acme/${snake(pkg)}/clients/${pascal(
      dep,
    )}Client.java`,
  manifests: base => [`${base}pom.xml`],
  // sentry-java reports a frame's file name only (the class's package is its module).
  frameFilename: (_, path) => path.split('/').pop()!,
  dataFrame: library('AbstractEntityPersister.java', 'update'),
  frameworkFrame: library('DispatcherServlet.java', 'doDispatch'),
  httpFrame: library('RestTemplate.java', 'doExecute'),
  cloudFrame: library('AmazonSyncHttpClient.java', 'execute'),
  errorTitle: (module, rng) =>
    rng.pick([
      `java.lang.NullPointerException: Cannot invoke "com.acme.${capital(
        module,
      )}.getId()" because "${module}" is null`,
      `java.lang.IllegalStateException: ${capital(
        module,
      )} is in an unexpected state`,
      `java.lang.IllegalArgumentException: ${module} amount must be positive`,
      `org.hibernate.exception.LockAcquisitionException: could not execute statement`,
      `java.lang.NumberFormatException: For input string: "${module}"`,
      `java.util.NoSuchElementException: No value present`,
    ]),
  remoteFailure: (kind, host) => {
    switch (kind) {
      case 'timeout':
        return `org.springframework.web.client.ResourceAccessException: I/O error on POST request for "https://${host}/v1/": Read timed out`;
      case 'refused':
        return `java.net.ConnectException: Connection refused (Connection refused) connecting to ${host}:443`;
      case 'gateway':
        return `org.springframework.web.client.HttpServerErrorException$BadGateway: 502 Bad Gateway from POST https://${host}/v1/`;
      case 'unavailable':
        return `org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: 503 Service Unavailable from GET https://${host}/v1/`;
      case 'dns':
        return `java.net.UnknownHostException: ${host}: Name or service not known`;
      case 'certificate':
        return `javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed`;
      default:
        return `software.amazon.awssdk.core.exception.SdkClientException: Unable to execute HTTP request: Connect to ${host}:443 failed: connect timed out`;
    }
  },
};

const go: LanguageLayout = {
  moduleFiles: (base, _, module) => [
    `${base}internal/${module}/service.go`,
    `${base}internal/${module}/store.go`,
    `${base}internal/${module}/${module}.go`,
    ...VERBS.map(v => `${base}internal/${module}/${v}.go`),
    `${base}internal/httpapi/${module}_handler.go`,
  ],
  sharedFiles: base => [
    `${base}internal/platform/httpclient.go`,
    `${base}internal/platform/db.go`,
    `${base}cmd/server/main.go`,
  ],
  clientFile: (base, _, dep) => `${base}internal/clients/${snake(dep)}.go`,
  manifests: base => [`${base}go.mod`, `${base}go.sum`],
  // sentry-go reports the absolute path the binary was built from.
  frameFilename: (base, path) => `/src/${path.slice(base.length)}`,
  dataFrame: library('/usr/local/go/src/database/sql/sql.go', 'ExecContext'),
  frameworkFrame: library('/usr/local/go/src/net/http/server.go', 'ServeHTTP'),
  httpFrame: library('/usr/local/go/src/net/http/client.go', 'Do'),
  cloudFrame: library(
    '/go/pkg/mod/github.com/aws/aws-sdk-go-v2/aws/retry/middleware.go',
    'HandleFinalize',
  ),
  errorTitle: (module, rng) =>
    rng.pick([
      'runtime error: invalid memory address or nil pointer dereference',
      `${module}: invalid amount: must be positive`,
      `pq: deadlock detected while updating ${module}`,
      'runtime error: index out of range [3] with length 3',
      `${module}: unexpected state ${rng.integer(1, 9)}`,
      `json: cannot unmarshal string into Go struct field ${capital(
        module,
      )}.id of type int64`,
    ]),
  remoteFailure: (kind, host, rng) => {
    const ip = `10.0.${rng.integer(0, 9)}.${rng.integer(2, 250)}`;
    switch (kind) {
      case 'timeout':
        return `Post "https://${host}/v1/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
      case 'refused':
        return `Post "https://${host}/v1/": dial tcp ${ip}:443: connect: connection refused`;
      case 'gateway':
        return `${host}: unexpected status 502 Bad Gateway`;
      case 'unavailable':
        return `${host}: unexpected status 503 Service Unavailable`;
      case 'dns':
        return `Get "https://${host}/v1/": dial tcp: lookup ${host} on 10.0.0.2:53: no such host`;
      case 'certificate':
        return `Get "https://${host}/v1/": tls: failed to verify certificate: x509: certificate has expired or is not yet valid`;
      default:
        return `operation error DynamoDB: GetItem, https response error StatusCode: 0, RequestID: , request send failed, Post "https://${host}/": dial tcp ${ip}:443: i/o timeout`;
    }
  },
};

/** Failures of Node's HTTP clients and the AWS SDK for JavaScript, for TypeScript services. */
export function typescriptRemoteFailure(
  kind: RemoteFailure,
  host: string,
  rng: Random,
): string {
  const ip = `52.${rng.integer(1, 250)}.${rng.integer(1, 250)}.${rng.integer(
    1,
    250,
  )}`;
  switch (kind) {
    case 'timeout':
      return `Error: connect ETIMEDOUT ${ip}:443`;
    case 'refused':
      return `Error: connect ECONNREFUSED ${ip}:443`;
    case 'gateway':
      return `HTTPError: Response code 502 (Bad Gateway) from ${host}`;
    case 'unavailable':
      return `HTTPError: Response code 503 (Service Unavailable) from ${host}`;
    case 'dns':
      return `Error: getaddrinfo ENOTFOUND ${host}`;
    case 'certificate':
      return 'Error: certificate has expired';
    default:
      return `TimeoutError: Connection timed out after 1000 ms (${host})`;
  }
}

export const LAYOUTS: Record<
  Exclude<Language, 'typescript'>,
  LanguageLayout
> = { python, java, go };

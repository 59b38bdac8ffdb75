import axios, { type AxiosInstance } from 'axios';
import type { Network } from './types.js';
import { TransportError, type ConnectorError, type Decision } from './errors.js';
import { axiosFailure } from './http.js';
import { withRetries, type RetryPolicy } from './retry.js';
import { GuardedHttpAgent, GuardedHttpsAgent, type ResponseLimits } from './transport.js';
import { onAllowedHost, type OutgoingFile } from './attachments.js';

export interface FileTransferOptions {
  readonly network: Network;
  /** The largest file downloaded (the response cap of these requests). */
  readonly maxDownloadBytes: number;
  readonly timeoutMs?: number;
  readonly limits?: Partial<ResponseLimits>;
  readonly retry?: Omit<RetryPolicy, 'decide'>;
  readonly decide: (error: ConnectorError) => Decision;
}

/**
 * Uploads to a network's upload server and downloads from its file hosts: other hosts
 * than the API's, over either scheme, with a cap sized for files rather than JSON, and
 * the same guard (transport.ts) and retries as the API calls.
 */
export class FileTransfer {
  private readonly agents: { readonly http: GuardedHttpAgent; readonly https: GuardedHttpsAgent };
  private readonly http: AxiosInstance;
  requestCount = 0;

  constructor(private readonly options: FileTransferOptions) {
    const limits = { maxResponseBytes: options.maxDownloadBytes + 64 * 1024, totalTimeoutMs: 120_000, ...options.limits };
    this.agents = { http: new GuardedHttpAgent(limits), https: new GuardedHttpsAgent(limits) };
    this.http = axios.create({
      timeout: options.timeoutMs ?? 10_000,
      httpAgent: this.agents.http, httpsAgent: this.agents.https,
      validateStatus: () => true,
      maxBodyLength: Number.POSITIVE_INFINITY,
      maxRedirects: 0,
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /**
   * Files as multipart parts (`field` → file) to an upload URL the API named; its JSON
   * answer. With `answer: 'text'` a 2xx body that is not JSON comes back as the string
   * (MAX's video host answers `<retval>1</retval>`; the token came with the URL).
   */
  upload(uploadUrl: string, parts: readonly { readonly field: string; readonly file: OutgoingFile }[], answer: 'json' | 'text' = 'json'): Promise<unknown> {
    const { network } = this.options;
    const method = 'upload';
    return withRetries(async () => {
      this.requestCount += 1;
      const form = new FormData();
      for (const { field, file } of parts) form.append(field, new Blob([file.data], { type: file.contentType }), file.fileName);
      let response;
      try {
        response = await this.http.post<string>(uploadUrl, form, { responseType: 'text', transformResponse: (body: unknown) => body });
      } catch (error) {
        throw axiosFailure(network, method, error);
      }
      if (response.status >= 300) throw new TransportError(network, method, 'http-status', `upload server answered ${response.status}`, response.status);
      try {
        return JSON.parse(String(response.data)) as unknown;
      } catch {
        if (answer === 'text') return String(response.data);
        throw new TransportError(network, method, 'malformed-body', 'upload answer is not JSON');
      }
    }, { ...this.options.retry, decide: this.options.decide });
  }

  /**
   * A file's bytes. `allowedHosts` (attachments.ts onAllowedHost) holds the URL and every
   * redirect to the network's own file hosts; null when the URL is our own (Telegram's
   * file path under the API's base URL).
   */
  download(url: string, allowedHosts: readonly string[] | null): Promise<{ data: Buffer; contentType: string | undefined }> {
    const { network } = this.options;
    const method = 'download';
    return withRetries(async () => {
      this.requestCount += 1;
      let response;
      try {
        response = await this.http.get<ArrayBuffer>(url, {
          responseType: 'arraybuffer',
          ...(allowedHosts === null ? {} : {
            maxRedirects: 5,
            beforeRedirect: (options: { href?: string; protocol?: string; hostname?: string }) => {
              const next = options.href ?? `${options.protocol ?? 'https:'}//${options.hostname ?? ''}/`;
              if (!onAllowedHost(next, allowedHosts)) throw new TransportError(network, method, 'http-status', 'redirected off the network\'s file hosts', 403);
            },
          }),
        });
      } catch (error) {
        if (error instanceof TransportError) throw error;
        throw axiosFailure(network, method, error);
      }
      if (response.status >= 300) throw new TransportError(network, method, 'http-status', `file host answered ${response.status}`, response.status);
      const type: unknown = response.headers['content-type'];
      return { data: Buffer.from(response.data), contentType: typeof type === 'string' ? type : undefined };
    }, { ...this.options.retry, decide: this.options.decide });
  }
}

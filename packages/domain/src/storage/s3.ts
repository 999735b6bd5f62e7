import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';

import { checkStorageKey, type FileStorage } from './storage.ts';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** S3-compatible endpoint such as MinIO; unset means AWS's own endpoint for `region`. */
  endpoint?: string;
  /** Credentials; unset means the SDK's default chain (environment, profile, instance role). */
  credentials?: S3ClientConfig['credentials'];
}

/** Stores files as objects in one S3 bucket, for setups that run more than one machine. */
export class S3FileStorage implements FileStorage {
  private readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint
        ? { endpoint: options.endpoint, forcePathStyle: true }
        : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: checkStorageKey(key),
      Body: bytes,
      ContentType: contentType,
      // Ticket files carry barcodes; the bucket's own key is the floor, not the ceiling.
      ServerSideEncryption: 'AES256',
    }));
  }

  async get(key: string): Promise<Uint8Array> {
    const output = await this.client.send(new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: checkStorageKey(key),
    }));
    if (!output.Body) {
      throw new Error(`S3 returned no body for ${key}`);
    }

    return output.Body.transformToByteArray();
  }

  /** Deletes an object; S3 answers a missing key with success, as the local storage does. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({
      Bucket: this.options.bucket,
      Key: checkStorageKey(key),
    }));
  }

  /** Closes the SDK's HTTP connections. */
  destroy(): void {
    this.client.destroy();
  }
}

import type { Logger } from 'pino';

import {
  createTextractOcrEngine,
  defaultOcrEngine,
  type OcrEngine,
} from '@ts/domain/tickets/ocr/index';

let engine: OcrEngine | null = null;

/**
 * Returns the OCR engine intake jobs use: AWS Textract when OCR_ENGINE=textract (region from
 * AWS_REGION, credentials from the AWS SDK's usual chain), falling back to the local tesseract
 * engine on any Textract error; otherwise the local engine alone.
 */
export function selectOcrEngine(logger: Logger): OcrEngine {
  if (engine) {
    return engine;
  }
  if (process.env.OCR_ENGINE?.trim().toLowerCase() === 'textract') {
    const region = process.env.AWS_REGION?.trim() || 'us-east-1';
    logger.info({ region }, 'ticket text is read by AWS Textract, with tesseract as fallback');
    engine = createTextractOcrEngine({ region, fallback: defaultOcrEngine(), logger });
  } else {
    engine = defaultOcrEngine();
  }

  return engine;
}

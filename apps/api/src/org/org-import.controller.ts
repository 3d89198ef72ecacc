import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { ImportApplyResponse, ImportReport } from '@candor/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { badRequest, DomainError } from '../common/errors';
import { MAX_IMPORT_BYTES } from './org-import.parse';
import { OrgImportService, type ImportOptions } from './org-import.service';

const MULTIPART_OVERHEAD = 64 * 1024;
/** Past this we stop draining and drop the connection. */
const DRAIN_LIMIT = 256 * 1024 * 1024;

const tooLarge = () =>
  new DomainError(
    'payload_too_large',
    413,
    `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files (each is applied on its own).`,
  );

/**
 * Reads the upload: `text/csv` (the body is the file) or `multipart/form-data` (a `file`
 * field). The JSON body parser leaves these bodies alone, so we read the stream here, with a
 * size cap. Past the cap the rest is drained and discarded so the client sees the 413.
 */
async function readUpload(req: Request): Promise<Buffer> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const multipart = type.startsWith('multipart/form-data');
  if (!multipart && !/^(text\/csv|text\/plain|application\/csv|application\/octet-stream)\b/.test(type)) {
    throw new DomainError(
      'unsupported_media_type',
      415,
      'Upload the CSV file as text/csv or as multipart/form-data with a "file" field',
    );
  }
  const limit = MAX_IMPORT_BYTES + (multipart ? MULTIPART_OVERHEAD : 0);
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = Number.isFinite(declared) && declared > limit;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) over = true;
    if (size > DRAIN_LIMIT) {
      req.destroy();
      break;
    }
    if (!over) chunks.push(chunk);
  }
  if (over) throw tooLarge();
  const body = Buffer.concat(chunks);
  if (!multipart) return body;
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': req.headers['content-type']! } }).formData();
  } catch {
    throw badRequest('bad_multipart', 'The upload is not valid multipart/form-data', {
      file: ['is missing'],
    });
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') {
    throw badRequest('validation_failed', 'Some fields are not valid', {
      file: ['must be a CSV file upload'],
    });
  }
  const bytes = Buffer.from(await file.arrayBuffer());
  if (bytes.length > MAX_IMPORT_BYTES) throw tooLarge();
  return bytes;
}

function options(createTeams: unknown): ImportOptions {
  if (createTeams === undefined) return { createTeams: true };
  if (createTeams !== 'true' && createTeams !== 'false') {
    throw badRequest('invalid_query', 'Some query parameters are not valid', {
      createTeams: ['must be true or false'],
    });
  }
  return { createTeams: createTeams === 'true' };
}

const FILE_BODY = {
  description:
    'The CSV file: header email,name,team,role,group (role: member|lead, blank = member; group: Acme/Product/Payments)',
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
};

/** CSV import of people and teams: preview (no writes), then apply (all or nothing). Admins only. */
@ApiTags('admin')
@Controller('admin/import')
export class OrgImportController {
  constructor(private readonly imports: OrgImportService) {}

  @Authenticated({ admin: true })
  @Post('preview')
  @HttpCode(200)
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody(FILE_BODY)
  @ApiQuery({
    name: 'createTeams',
    required: false,
    description: 'Create teams the org lacks (default true)',
  })
  @ApiOkResponse({
    description: 'Row-level errors and warnings, and what apply would change. Nothing is written.',
  })
  @ApiPayloadTooLargeResponse({ description: 'Over 10 MB' })
  @ApiUnprocessableEntityResponse({ description: 'Not UTF-8' })
  async preview(@Req() req: Request, @Query('createTeams') createTeams?: unknown): Promise<ImportReport> {
    const opts = options(createTeams);
    return this.imports.preview(await readUpload(req), opts);
  }

  @Authenticated({ admin: true })
  @Post('apply')
  @HttpCode(200)
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody(FILE_BODY)
  @ApiQuery({ name: 'createTeams', required: false })
  @ApiOkResponse({ description: 'Applied in one transaction' })
  @ApiUnprocessableEntityResponse({
    description: 'The file has errors: nothing was imported (fields: line → messages)',
  })
  async apply(
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @Query('createTeams') createTeams?: unknown,
  ): Promise<ImportApplyResponse> {
    const opts = options(createTeams);
    return this.imports.apply(user.id, await readUpload(req), opts);
  }
}

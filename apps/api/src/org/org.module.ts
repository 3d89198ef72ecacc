import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OrgAdminController } from './org-admin.controller';
import { OrgAdminService } from './org-admin.service';
import { OrgImportController } from './org-import.controller';
import { OrgImportService } from './org-import.service';
import { OrgRepository } from './org.repository';

/** Groups, teams, people, memberships and director scopes: the admin API and the CSV import. */
@Module({
  imports: [AuthModule],
  controllers: [OrgAdminController, OrgImportController],
  providers: [OrgRepository, OrgAdminService, OrgImportService],
})
export class OrgModule {}

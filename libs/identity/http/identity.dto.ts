import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PERMISSIONS, type Permission } from '../domain/roles';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.org' })
  @IsString()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class CreateStaffDto {
  @ApiProperty({ example: 'nurse@example.org' })
  @IsString()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ format: 'password', minLength: 10 })
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiProperty({ example: 'DeploymentStaff', description: 'A default role or a custom role name' })
  @IsString()
  @Length(1, 64)
  role!: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Required for deployment-scoped roles' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  deploymentIds?: string[];
}

export class CreateRoleDto {
  @ApiProperty({ example: 'Researcher' })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true })
  @IsArray()
  @ArrayMaxSize(PERMISSIONS.length)
  @IsIn(PERMISSIONS, { each: true })
  permissions!: Permission[];
}

export class CreateDeploymentDto {
  @ApiProperty({ example: 'Cardiology study' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

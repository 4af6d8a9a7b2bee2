import { Module } from '@nestjs/common';
import { AdminAuthController } from './admin-auth.controller.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { OperatorAuthService } from './operator-auth.service.js';
import { OperatorSessionAuthenticator } from './operator-session.authenticator.js';
import { OperatorsRepository } from './operators.repository.js';

@Module({
  controllers: [AdminAuthController],
  providers: [OperatorsRepository, OperatorAuthService, OperatorSessionAuthenticator, LoginThrottleService],
  exports: [OperatorAuthService],
})
export class AdminModule {}

import { Global, Module } from '@nestjs/common';
import { NonceStore } from './nonce-store.service.js';
import { RateLimiterService } from './rate-limiter.service.js';

@Global()
@Module({ providers: [RateLimiterService, NonceStore], exports: [RateLimiterService, NonceStore] })
export class RateLimitModule {}

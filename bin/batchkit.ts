#!/usr/bin/env node
import { cli } from '../lib/cli';

void cli();

import type { Rule } from '../types.js';
import { rule as unvettedTrainingDataset } from './unvetted-training-dataset.js';
import { rule as untrustedVectorWrite } from './untrusted-vector-write.js';
import { rule as untrustedMemoryWrite } from './untrusted-memory-write.js';
import { rule as untrustedTrainingData } from './untrusted-training-data.js';

export const rules: Rule[] = [untrustedVectorWrite, untrustedMemoryWrite, untrustedTrainingData, unvettedTrainingDataset];

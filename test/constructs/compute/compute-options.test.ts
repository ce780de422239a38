import { AllocationStrategy, EcsImageType, isNvidiaImage } from '../../../lib/constructs/compute/compute-options';

test('enum values are the service strings', () => {
  expect(Object.values(AllocationStrategy)).toEqual([
    'BEST_FIT',
    'BEST_FIT_PROGRESSIVE',
    'SPOT_CAPACITY_OPTIMIZED',
    'SPOT_PRICE_CAPACITY_OPTIMIZED',
  ]);
  expect(Object.values(EcsImageType)).toEqual(['ECS_AL2023', 'ECS_AL2023_NVIDIA', 'ECS_AL2', 'ECS_AL2_NVIDIA']);
});

test('isNvidiaImage', () => {
  expect(
    [EcsImageType.ECS_AL2023, EcsImageType.ECS_AL2023_NVIDIA, EcsImageType.ECS_AL2, EcsImageType.ECS_AL2_NVIDIA].map(
      isNvidiaImage,
    ),
  ).toEqual([false, true, false, true]);
});

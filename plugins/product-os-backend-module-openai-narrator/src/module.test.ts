import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import productOsPlugin from '@internal/plugin-product-os-backend';
import {
  DiagnosisNarrator,
  productOsNarratorExtensionPoint,
} from '@internal/plugin-product-os-node';
import { productOsModuleOpenAiNarrator } from './module';
import { OpenAiCompatibleNarrator } from './OpenAiCompatibleNarrator';

jest.setTimeout(30_000);

const narratorConfig = {
  productOs: {
    narrator: {
      openai: {
        baseUrl: 'http://127.0.0.1:9/v1/',
        model: 'llama3.1:8b',
        apiKey: 'sk-local',
      },
    },
  },
};

async function narratorsSet(data: object): Promise<DiagnosisNarrator[]> {
  const set: DiagnosisNarrator[] = [];
  await startTestBackend({
    extensionPoints: [
      [productOsNarratorExtensionPoint, { setNarrator: n => set.push(n) }],
    ],
    features: [
      productOsModuleOpenAiNarrator,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return set;
}

describe('openai-narrator module', () => {
  it('sets an OpenAI-compatible narrator when productOs.narrator.openai is configured', async () => {
    const set = await narratorsSet(narratorConfig);
    expect(set).toHaveLength(1);
    expect(set[0]).toBeInstanceOf(OpenAiCompatibleNarrator);
    expect(set[0].id).toBe('openai');
  });

  it('does nothing without productOs.narrator.openai', async () => {
    expect(
      await narratorsSet({ productOs: { narrator: { timeoutMs: 5000 } } }),
    ).toEqual([]);
    expect(await narratorsSet({})).toEqual([]);
  });

  it('refuses a configuration without the model', async () => {
    await expect(
      narratorsSet({
        productOs: {
          narrator: { openai: { baseUrl: 'http://127.0.0.1:9/v1' } },
        },
      }),
    ).rejects.toThrow(/model/);
  });

  it.each([
    ['with', narratorConfig],
    ['without', {}],
  ])(
    'starts with the Product OS plugin %s the configuration',
    async (_, data) => {
      const { server } = await startTestBackend({
        features: [
          productOsPlugin,
          productOsModuleOpenAiNarrator,
          catalogServiceMock.factory({ entities: [] }),
          mockServices.rootConfig.factory({
            data: {
              ...data,
              productOs: {
                ...(data as any).productOs,
                agent: { enabled: false },
              },
            },
          }),
        ],
      });
      expect(server.listening).toBe(true);
    },
  );
});

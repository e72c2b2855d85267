/*
 * query.c - introspection (tensor and op info) and profiling accessors.
 * Tensor facts are read from the model on demand; data pointers come from the arena
 * refs when the interpreter is allocated (and the arena is given), else only constants
 * have data.
 */
#include "eng_internal.h"
#include "kernels/kernels.h"

static eng_status_t loaded(eng_interp_t *it, const void *model, fb_t *b)
{
	if (!it)
		return ENG_ERR_ARGUMENT;
	ENG_ENSURE(it, it->magic == ENG_MAGIC && it->state >= ENG_STATE_LOADED, ENG_ERR_STATE,
		"interpreter is not loaded");
	ENG_ENSURE(it, model != NULL, ENG_ERR_ARGUMENT, "model is NULL");
	ENG_ENSURE(it, eng_model_print((const uint8_t *)model, it->model_size) == it->model_print,
		ENG_ERR_STATE, "model bytes differ from the %lu-byte model given to eng_load",
		(unsigned long)it->model_size);
	b->p = (const uint8_t *)model;
	b->size = it->model_size;
	b->it = it;
	return ENG_OK;
}

uint32_t eng_input_count(const eng_interp_t *it) { return it ? it->n_inputs : 0; }
uint32_t eng_output_count(const eng_interp_t *it) { return it ? it->n_outputs : 0; }
uint32_t eng_tensor_count(const eng_interp_t *it) { return it ? it->n_tensors : 0; }
uint32_t eng_op_count(const eng_interp_t *it) { return it ? it->n_ops : 0; }

eng_status_t eng_tensor(eng_interp_t *it, const void *model, void *arena, uint32_t index,
	eng_tensor_info_t *info)
{
	fb_t b;
	eng_tdesc_t d;
	uint32_t i;

	ENG_CHECK(loaded(it, model, &b));
	ENG_ENSURE(it, info != NULL, ENG_ERR_ARGUMENT, "info is NULL");
	ENG_ENSURE(it, index < it->n_tensors, ENG_ERR_ARGUMENT,
		"tensor index %lu out of range (%lu tensors)", (unsigned long)index,
		(unsigned long)it->n_tensors);
	ENG_CHECK(eng_model_tensor(&b, index, &d));
	memset(info, 0, sizeof *info);
	info->index = index;
	info->type = (eng_type_t)d.type;
	info->rank = d.rank;
	for (i = 0; i < d.rank; i++)
		info->shape[i] = d.dims[i];
	info->elements = d.elems;
	info->bytes = d.bytes;
	info->scale = d.scale;
	info->zero_point = d.zp;
	info->n_scales = d.n_scales;
	info->quantized_dimension = d.qdim;
	info->is_constant = d.data_len != 0;
	info->name = (const char *)b.p + d.name_pos;
	info->name_len = d.name_len;
	if (d.data_len)
		info->data = (void *)(uintptr_t)(b.p + d.data_pos);
	else if (arena && it->state == ENG_STATE_ALLOCATED) {
		uint32_t ref;
		ENG_CHECK(eng_check_allocated(it, model, arena));
		memcpy(&ref, (const uint8_t *)arena + it->refs_off + 4 * index, 4);
		if (ref != ENG_REF_NONE)
			info->data = (uint8_t *)arena + ref;
	}
	return ENG_OK;
}

static eng_status_t io_tensor(eng_interp_t *it, const void *model, void *arena, uint32_t i,
	eng_tensor_info_t *info, int output)
{
	fb_t b;
	uint32_t n;

	ENG_CHECK(loaded(it, model, &b));
	n = output ? it->n_outputs : it->n_inputs;
	ENG_ENSURE(it, i < n, ENG_ERR_ARGUMENT, "%s %lu out of range (%lu %ss)",
		output ? "output" : "input", (unsigned long)i, (unsigned long)n,
		output ? "output" : "input");
	return eng_tensor(it, model, arena, (uint32_t)fb_rd_i32(b.p,
		(output ? it->outputs_vec : it->inputs_vec) + 4 * i), info);
}

eng_status_t eng_input(eng_interp_t *it, const void *model, void *arena, uint32_t i,
	eng_tensor_info_t *info)
{
	return io_tensor(it, model, arena, i, info, 0);
}

eng_status_t eng_output(eng_interp_t *it, const void *model, void *arena, uint32_t i,
	eng_tensor_info_t *info)
{
	return io_tensor(it, model, arena, i, info, 1);
}

eng_status_t eng_tensor_channel(eng_interp_t *it, const void *model, uint32_t index,
	uint32_t channel, float *scale, int32_t *zero_point)
{
	fb_t b;
	eng_tdesc_t d;

	ENG_CHECK(loaded(it, model, &b));
	ENG_ENSURE(it, index < it->n_tensors, ENG_ERR_ARGUMENT,
		"tensor index %lu out of range (%lu tensors)", (unsigned long)index,
		(unsigned long)it->n_tensors);
	ENG_CHECK(eng_model_tensor(&b, index, &d));
	ENG_ENSURE(it, channel < d.n_scales, ENG_ERR_ARGUMENT,
		"channel %lu out of range (tensor %lu has %lu scales)", (unsigned long)channel,
		(unsigned long)index, (unsigned long)d.n_scales);
	if (scale)
		*scale = eng_model_scale(&b, &d, channel);
	if (zero_point)
		*zero_point = eng_model_zp(&b, &d, channel);
	return ENG_OK;
}

eng_status_t eng_op(eng_interp_t *it, const void *model, uint32_t index, eng_op_info_t *info)
{
	fb_t b;
	eng_opdesc_t o;
	uint32_t k;

	ENG_CHECK(loaded(it, model, &b));
	ENG_ENSURE(it, info != NULL, ENG_ERR_ARGUMENT, "info is NULL");
	ENG_CHECK(eng_model_op(&b, index, &o));
	memset(info, 0, sizeof *info);
	info->index = index;
	info->builtin = o.builtin;
	info->name = eng_builtin_name(o.builtin);
	info->n_inputs = o.inputs.len;
	info->n_outputs = o.outputs.len;
	info->fixture_verified = eng_kernel_fixture_verified(o.kernel);
	for (k = 0; k < ENG_OP_MAX_IO; k++) {
		info->inputs[k] = eng_op_io(&b, &o.inputs, k);
		info->outputs[k] = eng_op_io(&b, &o.outputs, k);
	}
	return ENG_OK;
}

void eng_profile_enable(eng_interp_t *it, eng_clock_fn clock, void *clock_ctx)
{
	if (!it)
		return;
	it->clock = clock;
	it->clock_ctx = clock ? clock_ctx : NULL;
}

static eng_status_t prof_arena(eng_interp_t *it, const void *arena)
{
	if (!it)
		return ENG_ERR_ARGUMENT;
	ENG_ENSURE(it, it->magic == ENG_MAGIC && it->state == ENG_STATE_ALLOCATED, ENG_ERR_STATE,
		"interpreter is not allocated");
	ENG_ENSURE(it, arena != NULL && ((uintptr_t)arena & (ENG_ARENA_ALIGN - 1u)) == 0,
		ENG_ERR_ARGUMENT, "arena is NULL or misaligned");
	return ENG_OK;
}

eng_status_t eng_profile_reset(eng_interp_t *it, void *arena)
{
	ENG_CHECK(prof_arena(it, arena));
	memset((uint8_t *)arena + it->prof_off, 0, sizeof(eng_prof_t) * it->n_ops);
	return ENG_OK;
}

eng_status_t eng_profile_op(eng_interp_t *it, const void *arena, uint32_t op, uint32_t *count,
	uint64_t *ticks)
{
	eng_prof_t p;

	ENG_CHECK(prof_arena(it, arena));
	ENG_ENSURE(it, op < it->n_ops, ENG_ERR_ARGUMENT, "op %lu out of range (%lu ops)",
		(unsigned long)op, (unsigned long)it->n_ops);
	memcpy(&p, (const uint8_t *)arena + it->prof_off + sizeof p * op, sizeof p);
	if (count)
		*count = p.count;
	if (ticks)
		*ticks = ((uint64_t)p.ticks_hi << 32) | p.ticks_lo;
	return ENG_OK;
}

// The slice of OpenSSL's libcrypto (3.0 or later) that Sources/CMS/Internal uses.
// Swift cannot import function-like macros or the STACK_OF(...) helpers, so they get static inline wrappers here;
// every wrapper is named `shim_<what it wraps>`.
#ifndef DICOM_DEID_COPENSSL_SHIM_H
#define DICOM_DEID_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/buffer.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// Memory.
static inline void shim_OPENSSL_free(void *pointer) { OPENSSL_free(pointer); }
static inline void shim_OPENSSL_clear_free(void *pointer, size_t count) { OPENSSL_clear_free(pointer, count); }

// BIO.
static inline long shim_BIO_get_mem_ptr(BIO *bio, BUF_MEM **memory) { return BIO_get_mem_ptr(bio, memory); }

// STACK_OF(X509).
static inline STACK_OF(X509) *shim_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int shim_sk_X509_push(STACK_OF(X509) *stack, X509 *certificate) { return sk_X509_push(stack, certificate); }
static inline void shim_sk_X509_pop_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }

// STACK_OF(CMS_RecipientInfo); the stack belongs to its CMS_ContentInfo.
static inline int shim_CMS_recipient_count(CMS_ContentInfo *cms) {
    STACK_OF(CMS_RecipientInfo) *infos = CMS_get0_RecipientInfos(cms);
    return infos == NULL ? 0 : sk_CMS_RecipientInfo_num(infos);
}
static inline CMS_RecipientInfo *shim_CMS_recipient_at(CMS_ContentInfo *cms, int index) {
    STACK_OF(CMS_RecipientInfo) *infos = CMS_get0_RecipientInfos(cms);
    return infos == NULL ? NULL : sk_CMS_RecipientInfo_value(infos, index);
}

// Constants built from other macros (Swift imports only plain integer literals reliably).
static inline unsigned long shim_name_flags_rfc2253_utf8(void) { return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB; }
static inline uint32_t shim_key_usage_key_encipherment(void) { return KU_KEY_ENCIPHERMENT; }
static inline uint32_t shim_extension_flag_key_usage(void) { return EXFLAG_KUSAGE; }
static inline unsigned int shim_cms_flag_binary(void) { return CMS_BINARY; }
static inline unsigned int shim_cms_flag_partial(void) { return CMS_PARTIAL; }
static inline unsigned int shim_cms_flag_use_keyid(void) { return CMS_USE_KEYID; }
static inline unsigned int shim_cms_flag_key_param(void) { return CMS_KEY_PARAM; }
static inline unsigned int shim_cms_flag_debug_decrypt(void) { return CMS_DEBUG_DECRYPT; }
static inline int shim_cms_recipient_type_key_transport(void) { return CMS_RECIPINFO_TRANS; }
static inline int shim_rsa_pkcs1_oaep_padding(void) { return RSA_PKCS1_OAEP_PADDING; }
static inline int shim_err_txt_string(void) { return ERR_TXT_STRING; }

#endif
